/*
 * Where the preStop script lives in the container: shared by the constructs (which mount it) and the audit
 * (which recognises it), in a module of its own so that the audit loads no construct code.
 */

/** Where the script is mounted in the container. @internal */
export const SCRIPT_DIR = '/etc/graceful';
/** @internal */
export const SCRIPT_PATH = `${SCRIPT_DIR}/prestop.sh`;
