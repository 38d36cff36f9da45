export * from './finding';
export * from './rule';
export * from './engine';
export * from './suppression';
export { renderCatalogue } from './catalogue';
