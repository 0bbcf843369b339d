/**
 * How often the scheduler and the publisher run by default, in one place for the stacks and the
 * benchmark's cost model (which prices the runs between two fetch cycles). No CDK imports.
 */

/** Default minutes between runs of each scheduled function (cdk.json `tributary:scheduleRateMinutes`, `tributary:publishRateMinutes`). */
export const DEFAULT_RATE_MINUTES = { scheduler: 5, publisher: 5 } as const;
