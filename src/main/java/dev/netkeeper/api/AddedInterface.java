package dev.netkeeper.api;

/** The interface as a namespace placed it (its final dstName): the answer to {@link Request.AddInterface}. */
public record AddedInterface(Interface iface) implements Reply {}
