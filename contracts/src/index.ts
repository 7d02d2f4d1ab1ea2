/** The wire contracts of Pulse Sync: each schema gives the type (`z.infer`) and the check. */
export * from './json';
export * from './delivery';
export * from './status';
export * from './user-write';
export * from './bridge-settings';
export * from './delivery-request';
export * from './delivery-list-query';
export * from './import-request';
export * from './import-run';
export * from './crm';
export * from './lenient';
export * from './wordpress-error';
export * from './pairing';
export * from './spool';
export * from './panel-status';
export * from './test-webhook';
export * from './admin-page-config';
