export * from './tokenize';
export * from './signals';
