import type { FieldError, Problem } from "./api.js";
import { h } from "./dom.js";

/**
 * Where errors are shown: next to the field they name. Each control that can
 * be wrong registers a slot under its field key; a problem's `errors[].path`
 * is mapped to a key, and what maps nowhere goes to the general alert above
 * the view, with its path.
 */
export class FieldErrors {
  private readonly slots = new Map<string, HTMLElement>();

  constructor(private readonly general: HTMLElement) {}

  /** A slot for `key`: an element to put under the control, whose id the control names in aria-describedby. */
  slot(key: string, id: string): HTMLElement {
    const element = h("div", { id, class: "field-error", role: "alert", hidden: true });
    this.slots.set(key, element);
    return element;
  }

  clear(): void {
    for (const slot of this.slots.values()) {
      slot.replaceChildren();
      slot.hidden = true;
    }
    this.general.replaceChildren();
    this.general.hidden = true;
  }

  /** Shows a message at a field, or in the general alert when the field has no slot. */
  at(key: string | undefined, message: string): void {
    const slot = key === undefined ? undefined : this.slots.get(key);
    const target = slot ?? this.general;
    const list = target.querySelector("ul") ?? target.appendChild(h("ul"));
    list.append(h("li", {}, message));
    target.hidden = false;
    // An error in a folded panel (the levers on a phone) unfolds it.
    const folded = target.closest("details");
    if (folded !== null) folded.open = true;
  }

  /**
   * Shows a problem: each field error at the field `place` maps its path to,
   * and the title and detail in the general alert unless every error found
   * its field. Says which.
   */
  show(problem: Problem, place: (error: FieldError) => { key: string | undefined; message: string }): "at fields" | "above" {
    const placed = problem.errors.map(place);
    for (const { key, message } of placed) this.at(key, message);
    if (placed.length > 0 && placed.every(({ key }) => key !== undefined && this.slots.has(key))) return "at fields";
    const status = problem.status === 0 ? "" : ` (${problem.status})`;
    this.general.prepend(h("p", {}, h("strong", {}, `${problem.title}${status}: `), problem.detail));
    this.general.hidden = false;
    return "above";
  }
}
