import { chooseSweetSpot } from '../analyze/sweet-spot.js';
import { badFlag, userError } from '../errors.js';
import type { GateReport } from '../gate/compare.js';
import { orderedNames, PAYLOAD_AXIS, paramsText } from '../plan/axes.js';
import type { CellSummary, TuneResult } from '../result/types.js';

/** What an apply sets, taken from a result: the recommended cell's function and memory, and the code that was measured. */
export interface ApplyChoice {
  functionName: string;
  memoryMb: number;
  codeSha256: string;
  /** `512 MB with chunkSizeMb=20`: the whole recommendation, of which the apply sets only the memory. */
  setting: string;
  /** What the user has to set themselves, or undefined when the run varied nothing besides memory. */
  payloadNote: string | undefined;
}

/**
 * The recommendation to apply, or a refusal saying why there is none that can be trusted: the run
 * stopped early, no cell can be recommended, or the result does not record the code it measured.
 * `pick` names the function of a multi-function result (default: the recommended cell's).
 */
export function chooseApply(result: TuneResult, pick?: string): ApplyChoice {
  const { stoppedBy } = result.run;
  if (stoppedBy !== undefined) {
    const why = stoppedBy === 'budget' ? 'its budget ran out' : 'it was interrupted';
    refuse(`the run stopped early (${why}), so its recommendation rests on part of the cells`, 'Run it to the end (a larger --budget, no interruption).');
  }
  const cell = recommendedCell(result, pick);
  const info = result.functions.find((f) => f.name === cell.function);
  if (info?.codeSha256 === undefined) {
    refuse(`the result does not record the code of ${cell.function} it measured (it is older than lambda-tune's apply)`, 'Tune it again, then apply.');
  }
  const params = paramsText(cell.params, result.plan.axes);
  return {
    functionName: cell.function,
    memoryMb: cell.memoryMb,
    codeSha256: info.codeSha256,
    setting: params === '' ? `${cell.memoryMb} MB` : `${cell.memoryMb} MB with ${params}`,
    payloadNote: payloadNote(cell, result),
  };
}

/** Why the gate's verdict stops an apply, or undefined when it passed. An inconclusive gate stops it even with --allow-inconclusive. */
export function gateRefusal(report: Pick<GateReport, 'status'>): string | undefined {
  if (report.status === 'fail') return 'the gate found a regression against the baseline';
  if (report.status === 'inconclusive') return 'the gate against the baseline was inconclusive (it could judge none of its checks)';
  return undefined;
}

/** The sweet spot, or with `pick` the sweet spot among that function's cells by the run's own rule. */
function recommendedCell(result: TuneResult, pick: string | undefined): CellSummary {
  const names = result.functions.map((f) => f.name);
  if (pick !== undefined && !names.includes(pick)) {
    throw badFlag('--function', `"${pick}" is not a function of this result.`, `Name one of: ${names.join(', ')}.`);
  }
  const spotted = result.analysis.cells.find((c) => c.id === result.analysis.sweetSpot?.cellId);
  const own = pick === undefined || spotted?.function === pick ? spotted : ownSweetSpot(result, pick);
  if (own === undefined) {
    refuse(
      `no cell${pick === undefined ? '' : ` of ${pick}`} can be recommended (every one failed or went unmeasured)`,
      'Fix what made the cells fail (the report lists their errors), tune again, then apply.',
    );
  }
  return own;
}

function ownSweetSpot(result: TuneResult, functionName: string): CellSummary | undefined {
  const cells = result.analysis.cells.filter((c) => c.function === functionName);
  const { sweetSpot } = chooseSweetSpot(cells, result.analysis.selection);
  return cells.find((c) => c.id === sweetSpot?.cellId);
}

/** "set chunkSizeMb in your payload yourself", "send the payload file b.json's payload yourself", or both. */
function payloadNote(cell: CellSummary, result: TuneResult): string | undefined {
  const names = orderedNames(cell.params, result.plan.axes);
  const fields = names.filter((n) => n !== PAYLOAD_AXIS);
  const file = cell.params[PAYLOAD_AXIS];
  const notes = [
    ...(file === undefined ? [] : [`send the payload ${String(file)} yourself`]),
    ...(fields.length === 0 ? [] : [`set ${fields.join(', ')} in your payload yourself`]),
  ];
  return notes.length === 0 ? undefined : notes.join('; ');
}

function refuse(why: string, hint: string): never {
  throw userError('APPLY_REFUSED', { why, hint });
}
