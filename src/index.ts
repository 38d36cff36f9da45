export * from './graceful-service';
export * from './graceful-java-service';
export * from './process/pid1';
export * from './shutdown/budget';
export * from './shutdown/propagation';
export * from './shutdown/traffic';
export * from './rules';
