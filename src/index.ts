/** jointplan's public API: an explicit list, nothing re-exported wholesale. */
export { parseScenario, validateScenario, ValidationError, isValidationError, formatPath } from "./scenario/parse.js";
export type { ValidationIssue, ValidationResult } from "./scenario/parse.js";
export type {
  Scenario,
  ScenarioInput,
  Plant,
  Product,
  Route,
  Inventory,
  Part,
  PartSource,
  Market,
  Demand,
  Target,
  TargetKind,
  Objective,
  PeriodNumber,
} from "./scenario/schema.js";
export { scenarioShapeSchema } from "./scenario/schema.js";
export { valueIn } from "./scenario/periods.js";
export { listBundledScenarios, loadBundledScenario, bundledScenarioIds } from "./scenario/bundled.js";
export type { BundledScenarioSummary } from "./scenario/bundled.js";

export { formulate } from "./formulate/index.js";
export type { Formulation } from "./formulate/index.js";
export type { LinearProgram, Column, Row, ColumnTag, RowTag } from "./formulate/lp.js";

export { toCplexLp } from "./export/cplexLp.js";
export type { CplexLpOptions } from "./export/cplexLp.js";

export { availableBackends, chooseBackend, modelSize, stopsInTime } from "./solvers/index.js";
export type { BackendChoice } from "./solvers/index.js";
export type { BackendName, SolveOptions, SolveResult, SolveStatus, SolverBackend } from "./solvers/types.js";

export { plan } from "./plan/plan.js";
export { planWithin } from "./tasks/within.js";
export { verifyPlan } from "./plan/verify.js";
export { planOptionsSchema, parsePlanOptions } from "./plan/options.js";
export type { PlanOptions, ResolvedPlanOptions } from "./plan/options.js";
export { FEASIBILITY_TOLERANCE } from "./plan/verification/index.js";
export type {
  Plan,
  PlanStatus,
  ProductionRow,
  SalesRow,
  InventoryRow,
  ProcurementRow,
  CapacityRow,
  TargetRow,
  Verification,
  SolverInfo,
} from "./plan/types.js";

export { DEFAULT_RELAXATION_WEIGHTS, explainOptionSchema } from "./explain/options.js";
export type { ExplainOption } from "./explain/options.js";
export type {
  BoundRef,
  BoundKind,
  BoundSensitivity,
  BoundUnit,
  AllowableRange,
  Sensitivity,
  UnusedRoute,
  UnusedSale,
  Diagnosis,
  ConflictEntry,
  Relaxation,
  MaxAchievable,
  RelaxationWeights,
} from "./explain/types.js";

export { applyChanges, validateChanges } from "./whatif/apply.js";
export { diffScenarios, applyDiff } from "./library/diff.js";
export type { ScenarioDiff, FieldChange, RecordRef, RecordEdit, RecordKind } from "./library/diff.js";
export type { ApplyChangesOptions } from "./whatif/apply.js";
export { compare } from "./whatif/compare.js";
export { sweep, sweepPoints, prepareSweep, mergeSweepChunks } from "./whatif/sweep.js";
export type { PreparedSweep } from "./whatif/sweep.js";
export { createSweepPool } from "./whatif/pool.js";
export type { SweepPool } from "./whatif/pool.js";
export {
  changeSchema,
  sweepParameterSchema,
  sweepSpecSchema,
  variantSchema,
  variantsSchema,
  compareBodySchema,
  sweepBodySchema,
  MAX_SWEEP_POINTS,
  DEFAULT_SWEEP_STEPS,
} from "./whatif/schema.js";
export type { Change, ChangeInput, SweepParameter, SweepSpec, SweepSpecInput, SweepMode, Variant, VariantInput } from "./whatif/schema.js";
export type {
  WhatIfOptions,
  SweepOptions,
  SweepResult,
  SweepPoint,
  SweepSegment,
  SweepChunk,
  SweepChunkTask,
  SweepChunkRunner,
  Comparison,
  VariantResult,
  Delta,
  ProductionDelta,
  TargetDelta,
} from "./whatif/types.js";

export {
  monteCarlo,
  prepareMonteCarlo,
  runMonteCarloChunk,
  mergeMonteCarlo,
  createMonteCarloPool,
  sampleMultipliers,
  monteCarloSpecSchema,
  uncertainEntrySchema,
  distributionSchema,
  MAX_MONTE_CARLO_SAMPLES,
  MAX_UNCERTAIN,
  NORMAL_REACH,
} from "./montecarlo/index.js";
export type {
  PreparedMonteCarlo,
  MonteCarloPool,
  MonteCarloSpec,
  MonteCarloSpecInput,
  UncertainEntry,
  Distribution,
  MonteCarloOptions,
  MonteCarloChunkTask,
  MonteCarloChunk,
  MonteCarloChunkRunner,
  MonteCarloResult,
  SampleOutcome,
  ObjectiveStats,
  TargetOutcome,
  ProductionQuantiles,
} from "./montecarlo/index.js";

export {
  stochastic,
  prepareStochastic,
  extensiveForm,
  outcomeFormulation,
  hereAndNowColumns,
  columnKey,
  solveOutcomeWithFixed,
  fixHereAndNow,
  decisionsOf,
  stochasticSummary,
  stochasticSpecSchema,
  MAX_OUTCOMES,
} from "./stochastic/index.js";
export type {
  StochasticOptions,
  StochasticResult,
  StochasticSpec,
  StochasticSpecInput,
  StochasticEvaluation,
  OutcomeResult,
  MeanValuePlan,
  HereAndNow,
  HereAndNowKind,
  PreparedStochastic,
  OutcomeScenario,
  ExtensiveForm,
  FixedDecisions,
  OutcomeAnswer,
} from "./stochastic/index.js";
