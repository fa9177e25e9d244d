/**
 * The actions, free of HTTP: inputs and their validation, outputs as in the contract, error mapping, make_call's
 * idempotency, the recordings fan-out and join, and get_call's polling.
 */
package dev.voicegate.voice;
