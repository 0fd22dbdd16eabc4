/**
 * The unmapped report of a large stored message off the event loop: a one-off worker thread loads
 * the configuration (partners and mappings, as a processing thread does), reads the bytes handed to
 * it and answers the report; bounded by a heap limit and a deadline, past which it is terminated
 * and the answer says so. The HTTP thread keeps serving meanwhile (routes-unmapped.ts).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { UnmappedReport, UnmappedReportOptions } from './unmapped-report.ts';
import { threadEntry } from '../../core/thread-entry.ts';

export interface UnmappedThreadData {
  unmappedReport: true;
  partnersDir: string;
  mappingsDir: string;
  env: Record<string, string | undefined>;
  bytes: Uint8Array;
  options: Omit<UnmappedReportOptions, 'slicer' | 'now'>;
}

const bootstrap = threadEntry(import.meta.url);

/** heap of the report's thread, in MB */
export const UNMAPPED_THREAD_HEAP_MB = 512;

export function unmappedInThread(data: Omit<UnmappedThreadData, 'unmappedReport'>, timeoutMs: number): Promise<UnmappedReport | { failed: string }> {
  return new Promise((resolve) => {
    const worker = new Worker(bootstrap, {
      eval: true, execArgv: [], workerData: { ...data, unmappedReport: true } satisfies UnmappedThreadData,
      resourceLimits: { maxOldGenerationSizeMb: UNMAPPED_THREAD_HEAP_MB },
    });
    let done = false;
    const finish = (r: UnmappedReport | { failed: string }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ failed: `the report took longer than ${timeoutMs / 1000} s and was stopped` }), timeoutMs);
    worker.on('message', (m: { report?: UnmappedReport; error?: string }) => finish(m.report ?? { failed: m.error ?? 'no answer' }));
    worker.on('error', (e) => finish({ failed: `the report's thread failed: ${e.message}` }));
    worker.on('exit', (code) => finish({ failed: `the report's thread stopped (exit ${code})` }));
  });
}

async function runInThread(d: UnmappedThreadData): Promise<void> {
  try {
    const [{ loadGatewayConfig }, { createMappingCompiler }, { grammarFor }, { createReaders }, { unmappedReport }] = await Promise.all([
      import('../../config/load.ts'), import('./compile-mapping.ts'), import('./grammars.ts'), import('./readers.ts'), import('./unmapped-report.ts'),
    ]);
    const { config } = loadGatewayConfig({ partnersDir: d.partnersDir, mappingsDir: d.mappingsDir, env: d.env, compile: createMappingCompiler(grammarFor) });
    if (!config) throw new Error('the configuration does not load');
    const bytes = d.bytes;
    const report = await unmappedReport({ config, readers: createReaders() }, { head: bytes, whole: () => bytes }, d.options);
    parentPort!.postMessage({ report });
  } catch (e) {
    parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
}

if (!isMainThread && (workerData as Partial<UnmappedThreadData> | undefined)?.unmappedReport === true) void runInThread(workerData as UnmappedThreadData);
