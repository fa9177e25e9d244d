/**
 * The actions, free of HTTP: inputs and their validation, outputs as in the contract, error mapping, make_call's
 * idempotency, the recordings fan-out and join, get_call's polling and end_call's ending of a live call.
 */
package dev.voicegate.voice;
