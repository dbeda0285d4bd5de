export type { NumberFlag } from '../../config/numbers.js';
