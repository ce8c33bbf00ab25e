import type { complainantView } from "./service.js";

/**
 * What leaves the server about a case. The complainant sees their own case's
 * state and the messages meant for them; never staff notes, other people, or
 * findings before the case closes.
 */
export function presentForComplainant(view: Awaited<ReturnType<typeof complainantView>>) {
  return {
    caseNumber: view.case.case_number,
    state: view.case.state,
    receivedOn: view.case.received_at.slice(0, 10),
    history: view.events.map((event) => ({
      on: event.at.slice(0, 10),
      fromComplainant: event.actor === "complainant",
      text: event.kind === "received" ? "state.received" : event.body,
    })),
  };
}
export type ComplainantCase = ReturnType<typeof presentForComplainant>;
