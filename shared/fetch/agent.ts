/**
 * Shared keep-alive undici Agents, one per distinct guard/connect configuration, so fetching many
 * feeds reuses connections. `closeFetchAgents` lets a process exit cleanly.
 */
import { Agent } from 'undici';
import type { FetchSettings } from '../config';
import { createGuardedConnector } from './guard';

const agents = new Map<string, Agent>();

/** Idle keep-alive sockets are closed after this long. */
const KEEP_ALIVE_TIMEOUT_MS = 10_000;

/** The shared Agent for these settings: guarded connector with the settings' connect timeout and allowlist. */
export function getFetchAgent(settings: FetchSettings): Agent {
  const allowHosts = [...settings.allowHosts].sort();
  const key = JSON.stringify([settings.connectTimeoutMs, allowHosts]);
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({
      connect: createGuardedConnector(settings.connectTimeoutMs, allowHosts),
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      keepAliveMaxTimeout: KEEP_ALIVE_TIMEOUT_MS,
    });
    agents.set(key, agent);
  }
  return agent;
}

/** Closes every shared Agent (waiting for in-flight requests) and forgets them; later fetches make new ones. */
export async function closeFetchAgents(): Promise<void> {
  const open = [...agents.values()];
  agents.clear();
  await Promise.all(open.map((agent) => agent.close()));
}
