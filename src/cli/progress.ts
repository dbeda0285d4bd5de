import type { Encounters } from '../lambda/gateway.js';
import type { ProgressEvent } from '../measure/run.js';
import { formatMs, formatUsd } from '../report/format.js';
import { STOP_WORDS } from '../report/sampling.js';
import type { Sample } from '../result/types.js';
import type { CliIo } from './io.js';

/** What an event says, if anything: a line of its own, or (on a terminal) the live progress bar. */
type Said = { line: string } | { bar: string } | undefined;

/** Shows the run as it goes: one live line on a terminal, plain lines in a log (CI). Warnings always get their own line. */
export function progressReporter(io: Pick<CliIo, 'stderr' | 'stderrIsTty'>): { onEvent: (event: ProgressEvent) => void; done: () => void } {
  const live = io.stderrIsTty;
  let shown = false;
  const clear = () => {
    if (live && shown) io.stderr.write('\r\x1b[2K');
    shown = false;
  };
  return {
    onEvent(event) {
      const said = describeEvent(event, live);
      if (said === undefined) return;
      clear();
      if ('line' in said) io.stderr.write(`${said.line}\n`);
      else {
        io.stderr.write(said.bar);
        shown = true;
      }
    },
    done: clear,
  };
}

/** The words for one event; `live` is a terminal, where per-step lines give way to the bar. */
export function describeEvent(event: ProgressEvent, live: boolean): Said {
  switch (event.kind) {
    case 'described': {
      const { name, memoryMb, architecture, timeoutS, qualifier } = event.snapshot;
      const live = qualifier === undefined ? '' : ` ${qualifier.name} is version ${qualifier.version}, whose code $LATEST holds: that is what is tuned.`;
      return { line: `${name}: ${memoryMb} MB, ${architecture}, timeout ${timeoutS} s. It will be put back as it is.${live}` };
    }
    case 'version':
      return live ? undefined : { line: `${event.function}: version ${event.version} at ${event.memoryMb} MB${event.created ? '' : ' (existing)'}` };
    case 'sample':
      return live ? { bar: progressBar(event.done, event.total, `${event.cellId}  ${formatUsd(event.spentUsd)}`) } : undefined;
    case 'cold-sample':
      return live
        ? { bar: progressBar(event.done, event.total, `cold starts  ${event.cellId}  ${formatUsd(event.spentUsd)}`) }
        : { line: `${event.cellId}: cold start ${event.done} of ${event.total}: ${coldWords(event.sample)}` };
    case 'cell-done':
      return live
        ? undefined
        : { line: `${event.cellId}: ${event.samples} measured${event.stoppedBecause === undefined ? '' : `, stopped: ${STOP_WORDS[event.stoppedBecause]}`}` };
    case 'warning':
      return { line: `warning: ${event.message}` };
    case 'cleanup':
      return { line: `Restored: ${[...event.restored, ...event.deleted.map((v) => `deleted ${v}`)].join('; ') || 'nothing to undo'}.` };
    case 'stopping':
      return {
        line: `\nStopping: letting invocations in flight finish, then restoring the function. Ctrl-C again quits at once; then run "tune restore --journal ${event.journalFile}".`,
      };
    case 'met':
      return { line: `Met on the way: ${metWords(event).join(', ')}.` };
    case 'stopped':
      return {
        line:
          event.reason === 'budget'
            ? `Stopped before exceeding the budget of ${formatUsd(event.budgetUsd ?? 0)}; the result holds what was measured.`
            : 'Interrupted; the result holds what was measured.',
      };
  }
}

function coldWords(sample: Sample): string {
  if (sample.status !== 'success') return `failed (${sample.errorType ?? sample.status})`;
  const init = sample.initDurationMs ?? 0;
  return `init ${formatMs(init)} + ${formatMs(sample.durationMs)} = ${formatMs(init + sample.durationMs)}`;
}

function metWords(met: Encounters): string[] {
  const words: string[] = [];
  if (met.retried > 0) words.push(`${met.retried} request${met.retried === 1 ? '' : 's'} sent again after a throttle or a server error`);
  if (met.throttled > 0) words.push(`${met.throttled} invocation${met.throttled === 1 ? '' : 's'} throttled and waited out`);
  if (met.logLookups > 0) words.push(`${met.logLookups} log${met.logLookups === 1 ? '' : 's'} read from CloudWatch Logs (the tail was cut short)`);
  return words;
}

function progressBar(done: number, total: number, label: string): string {
  const width = 24;
  const filled = Math.min(width, Math.round((done / Math.max(1, total)) * width));
  return `\r\x1b[2K[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}  ${label}`;
}
