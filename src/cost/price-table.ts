// Lambda's on-demand prices by region: the first duration tier per GB-second, and a request, for
// each architecture. `npm run prices -- FILE` rewrites this file from an AWS Price List offer file
// for AWSLambda (JSON or CSV, all regions or one); see scripts/prices.mjs.
//
// These figures were compiled by hand on 2026-11-22, without network access to the price list,
// from public copies of it:
// - the AWS Pricing Calculator's Lambda price map (calculator.aws …/meteredUnitMaps/lambda), as
//   copied with its rate codes into remotion-dev/remotion (packages/lambda, pricing): every region
//   below with both architectures, except the next four lines;
// - me-central-1: x86_64 0.0000206667 per GB-s in janritter/aws-lambda-live-tuner's cost table,
//   arm64 0.0000165334 (as me-south-1) in a public Lambda cost map kept in units of 1e-11 USD,
//   requests $0.25 per million in a serverless cost model's region table;
// - il-central-1 (x86_64 0.0000175, $0.21 per million), ap-south-2, ca-west-1 and eu-south-2
//   (x86_64 as us-east-1, $0.20 per million): a serverless cost model's region table; their arm64
//   prices were found nowhere and are left out;
// - ap-southeast-3: as us-east-1 for both architectures in janritter/aws-lambda-live-tuner and
//   the same cost model.
// Regions and architectures missing here are priced as us-east-1, and a result says so.
import type { PriceTable } from './price-list.js';

export const PRICE_TABLE: PriceTable = {
  source: 'AWS price list (public copies), compiled 2026-11-22; see src/cost/price-table.ts',
  published: '2026-11-22',
  regions: {
    'af-south-1': {
      x86_64: { perGbSecondUsd: 0.0000221, perRequestUsd: 0.00000027 },
      arm64: { perGbSecondUsd: 0.00001768, perRequestUsd: 0.00000027 },
    },
    'ap-east-1': {
      x86_64: { perGbSecondUsd: 0.00002292, perRequestUsd: 0.00000028 },
      arm64: { perGbSecondUsd: 0.0000183, perRequestUsd: 0.00000028 },
    },
    'ap-northeast-1': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'ap-northeast-2': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'ap-northeast-3': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'ap-south-1': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'ap-south-2': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
    },
    'ap-southeast-1': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'ap-southeast-2': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'ap-southeast-3': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'ap-southeast-4': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'ap-southeast-5': {
      x86_64: { perGbSecondUsd: 0.000015, perRequestUsd: 0.00000018 },
      arm64: { perGbSecondUsd: 0.000012, perRequestUsd: 0.00000018 },
    },
    'ca-central-1': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'ca-west-1': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
    },
    'eu-central-1': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'eu-central-2': {
      x86_64: { perGbSecondUsd: 0.0000183334, perRequestUsd: 0.00000022 },
      arm64: { perGbSecondUsd: 0.0000146667, perRequestUsd: 0.00000022 },
    },
    'eu-north-1': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'eu-south-1': {
      x86_64: { perGbSecondUsd: 0.0000195172, perRequestUsd: 0.00000023 },
      arm64: { perGbSecondUsd: 0.0000156138, perRequestUsd: 0.00000023 },
    },
    'eu-south-2': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
    },
    'eu-west-1': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'eu-west-2': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'eu-west-3': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'il-central-1': {
      x86_64: { perGbSecondUsd: 0.0000175, perRequestUsd: 0.00000021 },
    },
    'me-central-1': {
      x86_64: { perGbSecondUsd: 0.0000206667, perRequestUsd: 0.00000025 },
      arm64: { perGbSecondUsd: 0.0000165334, perRequestUsd: 0.00000025 },
    },
    'me-south-1': {
      x86_64: { perGbSecondUsd: 0.0000206667, perRequestUsd: 0.00000025 },
      arm64: { perGbSecondUsd: 0.0000165334, perRequestUsd: 0.00000025 },
    },
    'sa-east-1': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'us-east-1': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'us-east-2': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'us-west-1': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
    'us-west-2': {
      x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
      arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
    },
  },
};
