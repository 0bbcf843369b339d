/** Every fault scenario of the chaos suite, in report order. */
import { contentFaults } from './faults-content';
import { transportFaults } from './faults-transport';
import { ssrfFaults } from './faults-ssrf';
import { storageFaults } from './faults-storage';
import { processFaults } from './faults-process';
import type { FaultScenario } from './scenario';

/** The scenarios, feed faults first, then SSRF, storage and process faults. */
export function allFaults(): FaultScenario[] {
  return [...transportFaults, ...contentFaults, ...ssrfFaults, ...storageFaults, ...processFaults];
}
