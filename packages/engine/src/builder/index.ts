export { type StartBuildOptions, startBuild } from './build.ts';
export { FileStreamer, stringValue } from './file-stream.ts';
export { type Phase, type PhasePlan, phasePlanSchema } from './plan.ts';
export type { BuilderHooks, BuildManifest } from './types.ts';
