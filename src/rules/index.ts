export * from '../finding';
export * from './rule';
export * from './classification';
export * from './engine';
export * from './suppression';
export * from '../annotations';
export { renderCatalogue } from './catalogue';
