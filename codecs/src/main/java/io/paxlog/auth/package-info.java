/**
 * Authentication SPIs and their defaults: frame authentication between members and client authentication at
 * connect and admin requests. Implementations run on the node's duty-cycle thread, must not block, must not
 * allocate per frame, and must be pure functions of key and bytes (delayed, duplicated or reordered frames verify).
 */
package io.paxlog.auth;
