// The DinD semantics layer: the terms of the rule catalogue (spec 0.1) evaluated once, with provenance.

export * from './match';
export * from './images';
export * from './runner';
export * from './variables';
export * from './services';
export * from './daemon';
export * from './client';
export * from './usage';
export * from './facts';
export * from './memo';
