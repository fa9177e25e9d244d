/**
 * Requests Voicegate itself sends to a URL a caller chose (relayed callbacks):
 * {@link dev.voicegate.outbound.AddressGuard} lets them reach public addresses only, checked after DNS and then
 * connected to as checked, so neither a private address nor DNS rebinding can turn them into requests inside
 * Voicegate's own network.
 */
package dev.voicegate.outbound;
