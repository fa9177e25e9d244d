/**
 * An action's failure and the error categories of the envelope ({@code "<category>: <message>"}).
 */
package dev.voicegate.failure;
