export * from './finding';
export * from './engine';
export * from './suppression';
