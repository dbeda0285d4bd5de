import { beforeAll, describe, expect, it } from 'vitest';
import { loadResults, type ResultsModule } from './scripts.js';

let results: ResultsModule;

beforeAll(async () => {
  results = await loadResults();
});

const verdict = { metric: 'duration', unit: 'ms', pValue: null, skip: undefined };

describe('what the action makes of a run', () => {
  it('leaves the recommendation outputs empty when every cell failed', () => {
    const result = { analysis: { sweetSpot: null, cells: [{ id: 'f/128MB', durationMs: null }] } };
    expect(results.recommendationOutputs(result)).toEqual({ function: '', memory: '', params: '', 'cost-per-million': '', 'median-ms': '', 'p95-ms': '' });
    expect(results.recommendationOutputs(undefined)['memory']).toBe('');
    expect(results.verdictOf(undefined)).toBe('none');
  });

  it('writes the numbers plainly, to six significant digits', () => {
    const cell = {
      id: 'f/512MB',
      function: 'f',
      memoryMb: 512,
      params: {},
      costPerMillionUsd: 5.190000000000001,
      durationMs: { median: 609.4567891, p95: 618 },
    };
    const outputs = results.recommendationOutputs({ analysis: { sweetSpot: { cellId: 'f/512MB' }, cells: [cell] } });
    expect(outputs).toEqual({ function: 'f', memory: '512', params: '{}', 'cost-per-million': '5.19', 'median-ms': '609.457', 'p95-ms': '618' });
  });

  it('annotates an inconclusive gate as an error when it failed the step, a warning when it was allowed', () => {
    const report = { status: 'inconclusive', invocationsNeeded: 6, blindRules: ['duration:p50 > 10% error'], verdicts: [] };
    expect(results.gateAnnotations(report, { file: 'perf/b.json', exitCode: 1 })).toEqual([
      '::error file=perf/b.json,title=lambda-tune%3A gate inconclusive::duration:p50 > 10%25 error could judge none of the cells: the samples are too few to show a change. Measure 6 or more invocations a cell.\n',
    ]);
    expect(results.gateAnnotations(report, { file: undefined, exitCode: 0 })[0]).toMatch(/^::warning title=lambda-tune%3A gate inconclusive::/);
  });

  it('groups flagged cells by rule, and leaves passing, noisy and skipped checks out', () => {
    const rule = 'cost > 10% error';
    const report = {
      status: 'fail',
      verdicts: [
        {
          ...verdict,
          rule,
          cellId: 'f/128MB',
          unit: 'USD',
          baseline: 1e-6,
          current: 1.5e-6,
          changePercent: 50,
          outcome: 'error',
          reason: 'a real change (p = 0.001)',
        },
        { ...verdict, rule, cellId: 'f/256MB', unit: 'USD', baseline: 1e-6, current: 1.05e-6, changePercent: 5, outcome: 'pass', reason: 'within' },
        { ...verdict, rule: 'duration:p50 > 10% error', cellId: 'f/128MB', baseline: 10, current: 12, changePercent: 20, outcome: 'noise', reason: 'noise' },
        {
          ...verdict,
          rule: 'coldStart:p50 > 25% warn',
          cellId: 'f/128MB',
          baseline: null,
          current: null,
          changePercent: null,
          outcome: 'skipped',
          reason: 'too few',
        },
      ],
    };
    expect(results.gateAnnotations(report, { file: undefined, exitCode: 1 })).toEqual([
      '::error title=lambda-tune%3A cost > 10%25 error::1 cell over the rule: f/128MB: $1.00 per million → $1.50 per million (50.0%25 worse; a real change (p = 0.001))\n',
    ]);
  });

  it('warns when the run stopped before measuring every cell', () => {
    expect(results.stoppedAnnotations({ run: { stoppedBy: 'interrupt' } })).toEqual([
      '::warning title=lambda-tune%3A run stopped early::The run stopped before measuring every cell (it was interrupted): the outputs and the report cover only the cells it measured.\n',
    ]);
    expect(results.stoppedAnnotations({ run: {} })).toEqual([]);
  });

  it('turns the report’s charts into links to the run (a job summary shows no image from the runner’s disk), and leaves other images alone', () => {
    const markdown = '# r\n\n![Cost against duration](chart.svg)\n\n![badge](https://example.com/b.svg)\n';
    const runUrl = results.runUrlOf({ GITHUB_SERVER_URL: 'https://github.example', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7' });
    expect(runUrl).toBe('https://github.example/o/r/actions/runs/7');
    expect(results.reportSummary(markdown, { artifactName: 'lambda-tune-f', runUrl })).toBe(
      '# r\n\n[Chart: Cost against duration](https://github.example/o/r/actions/runs/7) (`chart.svg` in the artifact `lambda-tune-f`)\n\n![badge](https://example.com/b.svg)\n\n',
    );
    expect(results.reportSummary(markdown, { artifactName: 'a', runUrl: results.runUrlOf({}) })).toContain(
      'Chart (`chart.svg` in the artifact `a`): Cost against duration',
    );
  });
});
