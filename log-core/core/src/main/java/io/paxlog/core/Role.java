package io.paxlog.core;

/** The role a node plays in the protocol. Every node is always an acceptor and a learner as well. */
public enum Role
{
    FOLLOWER, CANDIDATE, LEADER
}
