/**
 * Interactive model assistance for the editor (issue 13 §3): click/box-to-segment, phrase → mask and box → region
 * caption, answered by a connected inference worker within seconds. Requests live in memory only
 * ({@link studio.grounding.assist.AssistService}): they are worth nothing after the editor's call has timed out,
 * so nothing is persisted. Workers long-poll for them with their WORKER token on a queue of their own, separate
 * from the pre-fill jobs, so an interactive request never waits behind batch pre-fill.
 * Design: {@code docs/adr/0020-interactive-sam-requests.md}.
 */
package studio.grounding.assist;
