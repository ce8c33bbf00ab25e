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
  /** Format the y axis as US dollars. */
  money?: boolean;
  /** Counts: whole-number ticks only. */
  integer?: boolean;
  /** Bars side by side per x value instead of stacked (for different kinds of thing). */
  grouped?: boolean;
  /** Series in a fixed order with fixed colours, whatever the language of their labels. */
  seriesOrder?: string[];
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

function yAxis(options: ChartOptions) {
  if (options.percent) return { format: ".0%" };
  if (options.money) return { format: "$,.0f" };
  if (options.integer) return { format: "d", tickMinStep: 1 };
  return {};
}

function colourScale(options: ChartOptions): { scheme: string } | { domain: string[]; range: string[] } {
  if (!options.seriesOrder) return { scheme: "tableau10" };
  return { domain: options.seriesOrder, range: PALETTE.slice(0, options.seriesOrder.length) };
}

export async function barChartSvg(data: BarSeries[], options: ChartOptions): Promise<string> {
  const stacked = data.some((point) => point.series !== undefined);
  // Built as plain data: Vega-Lite validates it when compiling.
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: options.width ?? 560,
    height: options.height ?? 220,
    data: { values: data },
    mark: { type: "bar", tooltip: false },
    encoding: {
      x: { field: "x", type: "ordinal", title: options.xTitle, axis: { labelAngle: -45 } },
      y: { field: "y", type: "quantitative", title: options.yTitle, axis: yAxis(options) },
      ...(stacked ? { color: { field: "series", type: "nominal", title: null, legend: { orient: "bottom", columns: 2, labelLimit: 260 }, scale: colourScale(options) } } : {}),
      ...(stacked && options.grouped ? { xOffset: { field: "series", type: "nominal", sort: options.seriesOrder ?? "ascending" } } : {}),
    },
    config: { font: "sans-serif", background: "white" },
  };
  const compiled = vl.compile(spec as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
