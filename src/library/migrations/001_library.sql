-- The scenario library (docs/scenario-library.md): names, their immutable
-- versions, and results saved with a version. Plain PostgreSQL: the same
-- schema on the embedded database (PGlite) and on a server.

CREATE TABLE library_scenarios (
  id          bigserial PRIMARY KEY,
  -- The name exactly as given (any characters but NUL, at most 200): never a path, never a key of anything else.
  name        text NOT NULL UNIQUE,
  latest      integer NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE library_versions (
  scenario_id bigint NOT NULL REFERENCES library_scenarios (id),
  version     integer NOT NULL CHECK (version >= 1),
  -- SHA-256 (hex) of content.
  hash        text NOT NULL,
  -- The validated scenario as canonical JSON (keys sorted, every default filled in).
  content     text NOT NULL,
  title       text NOT NULL,
  message     text NOT NULL,
  author      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scenario_id, version)
);

CREATE TABLE library_results (
  id          text PRIMARY KEY,
  scenario_id bigint NOT NULL,
  version     integer NOT NULL,
  -- plan | compare | sweep | montecarlo | stochastic
  kind        text NOT NULL,
  -- The request without its scenario (options, variants, sweep, ...), as JSON.
  request     text NOT NULL,
  -- {"jointplan": "...", "solvers": {...}} that made it.
  software    text NOT NULL,
  -- done: result holds the answer; pending: a job still running; failed: the job failed or was cancelled.
  status      text NOT NULL CHECK (status IN ('done', 'pending', 'failed')),
  job_id      text,
  result      text,
  author      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (scenario_id, version) REFERENCES library_versions (scenario_id, version)
);

CREATE INDEX library_results_by_version ON library_results (scenario_id, version, created_at);
