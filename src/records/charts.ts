import * as vega from "vega";
import * as vl from "vega-lite";

/**
 * Charts are Vega-Lite specs rendered to SVG on the server: no script in the
 * browser, nothing the Content-Security-Policy has to allow, and testable.
 */
export interface BarSeries {
  x: string | number;
  y: number;
  series?: string;
}

export interface ChartOptions {
  xTitle: string;
  yTitle: string;
  width?: number;
  height?: number;
  /** Format the y axis as a percentage. */
  percent?: boolean;
}

export async function barChartSvg(data: BarSeries[], options: ChartOptions): Promise<string> {
  const stacked = data.some((point) => point.series !== undefined);
  const spec: vl.TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: options.width ?? 560,
    height: options.height ?? 220,
    data: { values: data },
    mark: { type: "bar", tooltip: false },
    encoding: {
      x: { field: "x", type: "ordinal", title: options.xTitle, axis: { labelAngle: -45 } },
      y: { field: "y", type: "quantitative", title: options.yTitle, ...(options.percent ? { axis: { format: ".0%" } } : {}) },
      ...(stacked ? { color: { field: "series", type: "nominal", title: null, legend: { orient: "bottom", columns: 3 }, scale: { scheme: "tableau10" } } } : {}),
    },
    config: { font: "sans-serif", background: "white" },
  };
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
