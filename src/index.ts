export { GracefulService, GracefulServiceProps, GracefulWorkloadOptions, HttpHealthChecks } from './graceful-service';
export { GracefulJavaService, GracefulJavaServiceProps } from './graceful-java-service';
export { ProcessInit } from './process/pid1';
export { ShutdownBudget, ShutdownBudgetProps, Finding, FindingSeverity } from './shutdown/budget';
export { Propagation, PropagationPath } from './shutdown/propagation';
export { TrafficProfile } from './shutdown/traffic';
