/**
 * The kill switch per key: which named keys an operator has suspended, kept in Redis (shared by every replica, kept
 * across restarts) or in memory, with a local copy on each replica so that the check on every request is a lookup.
 */
package dev.voicegate.suspension;
