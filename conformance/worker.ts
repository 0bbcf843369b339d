/** Worker-thread entry for IsolatedPool: runs {@link runPipeline} on each task it is sent and posts the output. */
import { parentPort } from 'node:worker_threads';
import { runPipeline, type PipelineTask } from './pipeline';

parentPort?.on('message', (msg: { id: number; task: PipelineTask }) => {
  try {
    parentPort?.postMessage({ id: msg.id, ok: true, value: runPipeline(msg.task) });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
});

parentPort?.postMessage({ ready: true });
