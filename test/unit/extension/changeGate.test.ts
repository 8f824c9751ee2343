// ChangeGate: a tree's change events wait while a read of the tree is pending (held open here by a
// promise only the test settles), then go out once, merged, in order; a root change covers the rest.
import * as assert from 'node:assert/strict';
import { ChangeGate, QUIET_MS } from '../../../src/extension/tree/changeGate';

/** A read VS Code would be waiting on: pending until the test settles it. */
function pendingRead<T = string[]>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Runs every timer and microtask that is due now (a setTimeout 0 and what it queued). */
const turn = () => new Promise<void>((r) => setTimeout(r, 0));

function recorder(maxHoldMs = 60_000, now?: () => number) {
  const sent: (string | undefined)[] = [];
  let wake: (() => void) | undefined;
  const gate = new ChangeGate<string>((n) => {
    sent.push(n);
    wake?.();
  }, maxHoldMs, undefined, now);
  /** Resolves at the next change sent. */
  const next = () => new Promise<void>((r) => (wake = r));
  return { gate, sent, next };
}

describe('tree ChangeGate', () => {
  it('sends a change at once when no read is pending', () => {
    const { gate, sent } = recorder();
    gate.fire('project/a');
    gate.fire(undefined);
    assert.deepEqual(sent, ['project/a', undefined]);
    assert.equal(gate.holding, false);
  });

  it('holds changes while a read is pending, through the item reads that follow it, then sends each once in order', async () => {
    const { gate, sent, next } = recorder();
    const children = pendingRead();
    const answer = gate.read(children.promise);
    // what VS Code does with the answer: getTreeItem for each child, within microtasks
    const items: ReturnType<typeof pendingRead<string>>[] = [];
    const registered = answer.then((ids) => Promise.all(ids.map(() => { const r = pendingRead<string>(); items.push(r); return gate.read(r.promise); })));

    gate.fire('project/a');
    gate.fire('doc/a/1');
    gate.fire('project/a');
    assert.deepEqual(sent, [], 'held while getChildren is pending');
    assert.equal(gate.inFlight, 1);

    children.resolve(['group/a/x', 'group/a/y']);
    await answer;
    await turn();
    assert.equal(gate.inFlight, 2, 'the item reads started before the held changes could go out');
    assert.deepEqual(sent, [], 'still held while getTreeItem is pending');

    items[0]!.resolve('x');
    await turn();
    assert.deepEqual(sent, [], 'one read still pending');
    const sentNow = next();
    items[1]!.resolve('y');
    await registered;
    await sentNow;
    assert.deepEqual(sent, ['project/a', 'doc/a/1'], 'once each, in the order first asked');
    await gate.sent(); // resolved: nothing held
    assert.equal(gate.holding, false);
    gate.fire('project/b');
    assert.deepEqual(sent.at(-1), 'project/b', 'sent at once again');
  });

  it('a change of the whole tree covers the node changes held with it', async () => {
    const { gate, sent, next } = recorder();
    const read = pendingRead();
    gate.read(read.promise);
    gate.fire('project/a');
    gate.fire(undefined);
    gate.fire('project/b');
    const sentNow = next();
    read.resolve([]);
    await sentNow;
    await turn();
    assert.deepEqual(sent, [undefined]);
  });

  it('a read that fails ends like one that answers', async () => {
    const { gate, sent, next } = recorder();
    const read = pendingRead();
    const answer = gate.read(read.promise);
    gate.fire('project/a');
    const sentNow = next();
    read.reject(new Error('worker gone'));
    await assert.rejects(answer, /worker gone/);
    await sentNow;
    assert.deepEqual(sent, ['project/a']);
    assert.equal(gate.inFlight, 0);
  });

  it('a change asked for while held (no read pending any more) joins the held ones', async () => {
    const { gate, sent } = recorder();
    const read = pendingRead();
    gate.read(read.promise);
    gate.fire('project/a');
    read.resolve([]);
    await read.promise;
    gate.fire('project/b'); // the flush is scheduled, not run
    assert.deepEqual(sent, []);
    await gate.sent();
    assert.deepEqual(sent, ['project/a', 'project/b'], 'sent() resolves once both are out');
  });

  it('a change asked for within quietMs of the last read ending waits until the tree has been quiet that long', async () => {
    let t = 1_000;
    const { gate, sent, next } = recorder(60_000, () => t);
    const read = pendingRead();
    gate.read(read.promise);
    read.resolve([]);
    await read.promise; // settled at t = 1000
    t += QUIET_MS - 1;
    gate.fire('project/a');
    assert.deepEqual(sent, [], 'the window may still ask for an expanded child');
    await turn();
    assert.deepEqual(sent, [], 'not quiet yet by the clock');
    const sentNow = next();
    t += 1;
    await sentNow;
    assert.deepEqual(sent, ['project/a']);
    gate.fire('project/b');
    assert.deepEqual(sent, ['project/a', 'project/b'], 'quiet: at once');
  });

  it('sends a held change after maxHoldMs even when a read never ends', async () => {
    const { gate, sent, next } = recorder(20);
    gate.read(pendingRead().promise);
    gate.fire('project/a');
    assert.deepEqual(sent, []);
    await next();
    assert.deepEqual(sent, ['project/a']);
    assert.equal(gate.inFlight, 1, 'the read is still pending');
  });

  it('sends nothing held once disposed', async () => {
    const { gate, sent } = recorder();
    const read = pendingRead();
    gate.read(read.promise);
    gate.fire('project/a');
    const released = gate.sent();
    gate.dispose();
    await released; // a waiter is not left hanging
    read.resolve([]);
    await read.promise;
    await turn();
    await turn();
    gate.fire('project/b');
    assert.deepEqual(sent, []);
  });
});
