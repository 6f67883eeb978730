/** The solvers as the rest of jointplan sees them: the `auto` rule and the range check explanations need. */
export {
  availableBackends,
  chooseBackend,
  pricingBackend,
  doubtAbout,
  modelSize,
  secondOpinionBackend,
  secondOpinionDecides,
  stopsInTime,
  AUTO_JS_LP_MAX_COLUMNS,
  AUTO_JS_LP_MAX_ROWS,
  AUTO_JS_MIP_MAX_COLUMNS,
} from "./auto.js";
export type { AnswerCheck, BackendChoice, BackendNeeds, ModelSize } from "./auto.js";
export { beyondHighsRange } from "./highs.js";
