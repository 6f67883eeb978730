/** The two-stage stochastic plan (docs/stochastic.md): the request, its outcomes, the extensive form, the second stage, the result in words. */
export { stochastic } from "./stochastic.js";
export { prepareStochastic, sampledScenario } from "./outcomes.js";
export type { PreparedStochastic, OutcomeScenario } from "./outcomes.js";
export { extensiveForm, outcomeFormulation, outcomeModels, hereAndNowColumns, columnKey, outcomeValues } from "./extensive.js";
export type { ExtensiveForm } from "./extensive.js";
export { solveOutcomeWithFixed, fixHereAndNow, decisionsOf, solveChecked, checkOutcome } from "./solve.js";
export type { FixedDecisions, OutcomeAnswer, Solved } from "./solve.js";
export { stochasticSummary, compactMoney } from "./words.js";
export { stochasticSpecSchema, outcomeSchema, hereAndNowKinds, DEFAULT_HERE_AND_NOW, MAX_OUTCOMES, PROBABILITY_TOLERANCE } from "./schema.js";
export type { StochasticSpec, StochasticSpecInput, HereAndNowKind, Outcome } from "./schema.js";
export type { StochasticOptions, StochasticResult, StochasticEvaluation, OutcomeResult, MeanValuePlan, HereAndNow } from "./types.js";
