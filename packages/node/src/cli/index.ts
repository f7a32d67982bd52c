// `@lookout/node/cli`: the `lookout` command as a function, for embedding and tests.
export { runLookoutCli, runChecks, CLI_EXIT, DOCTOR_TIMEOUT_MS } from './runLookoutCli.js';
export type { CliIo, DoctorCheck } from './runLookoutCli.js';
export { maskConfig, maskUrl } from './mask.js';
