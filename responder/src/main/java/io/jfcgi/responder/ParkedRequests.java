package io.jfcgi.responder;

import java.util.ArrayDeque;
import java.util.function.Predicate;

/**
 * Requests of multiplexing connections that wait on their connection while the process is full (the mux queue,
 * {@code --mux-queue}). Each connection has a {@link Lane} of its own, first in first out; lanes take turns, one
 * request each, so a connection with five hundred waiting holds up one with five for a turn, no more. Bounded
 * in count: a waiting request holds its PARAMS, and a connection holds at most {@code --max-reqs-per-conn}.
 * Any thread; one lock, which only a multiplexing connection's request that found the process full ever takes.
 *
 * @param <R> a request
 */
final class ParkedRequests<R> {

    /** One connection's waiting requests, in the order they came. Guarded by the {@link ParkedRequests}' lock. */
    static final class Lane<R> {
        private final ArrayDeque<R> waiting = new ArrayDeque<>();
        /** It is in the ring of lanes taking turns. */
        private boolean inTurn;
        /** Its connection has ended: nothing more waits in it. */
        private boolean forgotten;
    }

    private final int capacity;
    /** The lanes with requests waiting, the next to take a turn first. */
    private final ArrayDeque<Lane<R>> turns = new ArrayDeque<>();
    /** Requests waiting in all lanes; read without the lock by {@link #isEmpty()}. */
    private volatile int count;

    ParkedRequests(int capacity) {
        this.capacity = capacity;
    }

    /** A lane for a new connection. */
    Lane<R> lane() {
        return new Lane<>();
    }

    /** Any thread: {@code request} waits at the end of its lane; false if the queue is full or the lane ended. */
    synchronized boolean park(R request, Lane<R> lane) {
        if (count >= capacity || lane.forgotten) {
            return false;
        }
        lane.waiting.addLast(request);
        if (!lane.inTurn) {
            lane.inTurn = true;
            turns.addLast(lane);
        }
        count++;
        return true;
    }

    /**
     * Any thread: the first request of the lane whose turn it is, which then goes to the back of the ring; requests
     * that are {@code gone} (aborted while they waited) are dropped on the way.
     *
     * @return null if none waits
     */
    synchronized R next(Predicate<? super R> gone) {
        Lane<R> lane;
        while ((lane = turns.pollFirst()) != null) {
            R request;
            while ((request = lane.waiting.pollFirst()) != null) {
                count--;
                if (!gone.test(request)) {
                    if (lane.waiting.isEmpty()) {
                        lane.inTurn = false;
                    } else {
                        turns.addLast(lane);
                    }
                    return request;
                }
            }
            lane.inTurn = false;
        }
        return null;
    }

    /** Any thread: the lane's connection has ended; what waited in it is dropped (its requests were aborted). */
    synchronized void forget(Lane<R> lane) {
        lane.forgotten = true;
        count -= lane.waiting.size();
        lane.waiting.clear();
        if (lane.inTurn) {
            lane.inTurn = false;
            turns.remove(lane);
        }
    }

    /** Requests waiting now. Any thread, without the lock. */
    int count() {
        return count;
    }

    /** No request waits: what the end of every request asks, without the lock. */
    boolean isEmpty() {
        return count == 0;
    }
}
