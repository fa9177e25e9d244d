/**
 * The draining flag set on SIGTERM, read by the shutdown gate and by a waiting get_call.
 */
package dev.voicegate.lifecycle;
