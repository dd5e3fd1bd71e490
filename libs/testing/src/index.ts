export * from './infra';
export * from './fake-server';
export * from './fake-stripe';
export * from './processes';
export * from './app-lifecycle';
export * from './call-simulator';
export * from './prometheus';
