import type { ProgressEvent } from '../measure/run.js';
import { formatUsd } from '../report/format.js';
import type { CliIo } from './io.js';

/** Shows the run as it goes: one live line on a terminal, plain lines in a log (CI). Warnings always get their own line. */
export function progressReporter(io: CliIo): { onEvent: (event: ProgressEvent) => void; done: () => void } {
  const live = io.stderrIsTty;
  let shown = false;
  const clear = () => {
    if (live && shown) io.stderr.write('\r\x1b[2K');
    shown = false;
  };
  const say = (text: string) => {
    clear();
    io.stderr.write(`${text}\n`);
  };
  return {
    onEvent(event) {
      switch (event.kind) {
        case 'described':
          say(
            `${event.snapshot.name}: ${event.snapshot.memoryMb} MB, ${event.snapshot.architecture}, timeout ${event.snapshot.timeoutS} s. It will be put back as it is.`,
          );
          break;
        case 'version':
          if (!live) say(`${event.function}: version ${event.version} at ${event.memoryMb} MB${event.created ? '' : ' (existing)'}`);
          break;
        case 'sample':
          if (live) {
            const width = 24;
            const filled = Math.min(width, Math.round((event.done / Math.max(1, event.total)) * width));
            io.stderr.write(
              `\r\x1b[2K[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${event.done}/${event.total}  ${event.cellId}  ${formatUsd(event.spentUsd)}`,
            );
            shown = true;
          }
          break;
        case 'cell-done':
          if (!live) say(`${event.cellId}: ${event.samples} measured`);
          break;
        case 'warning':
          say(`warning: ${event.message}`);
          break;
        case 'stopping':
          say(
            `\nStopping: letting invocations in flight finish, then restoring the function. Ctrl-C again quits at once; then run "tune restore --journal ${event.journalFile}".`,
          );
          break;
        case 'stopped':
          say(
            event.reason === 'budget'
              ? `Stopped before exceeding the budget of ${formatUsd(event.budgetUsd ?? 0)}; the result holds what was measured.`
              : 'Interrupted; the result holds what was measured.',
          );
          break;
        case 'cleanup':
          say(`Restored: ${[...event.restored, ...event.deleted.map((v) => `deleted ${v}`)].join('; ') || 'nothing to undo'}.`);
          break;
      }
    },
    done: clear,
  };
}
