// client.js — owns the analysis Worker (after squoosh's worker bridge): the worker starts on the
// first request, requests run one at a time, and cancel() terminates the worker (a running
// WebAssembly call cannot be interrupted any other way); the next request starts a fresh one.
import { startWorker } from './assets.js';

export class RequestError extends Error {
  constructor({ code = 'internal', message = 'unknown error', line = 0, column = 0 } = {}) {
    super(message);
    this.name = 'RequestError';
    this.code = code;
    this.line = line;
    this.column = column;
  }
}

export class WorkerClient {
  #worker = null;
  #nextId = 1;
  #current = null;   // {id, resolve, reject, onProgress} of the request in the worker
  #waiting = [];     // requests not yet sent

  // Send {op, ...payload}; resolves with the result, rejects with a RequestError.
  request(op, payload = {}, onProgress = null) {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ op, payload, onProgress, resolve, reject });
      this.#pump();
    });
  }

  get busy() {
    return this.#current !== null || this.#waiting.length > 0;
  }

  // Stop whatever is running or waiting; each of those promises rejects with code 'cancelled'.
  cancel() {
    const dropped = [...(this.#current ? [this.#current] : []), ...this.#waiting];
    this.#current = null;
    this.#waiting = [];
    this.#stop();
    for (const r of dropped) r.reject(new RequestError({ code: 'cancelled', message: 'Cancelled.' }));
  }

  #start() {
    const worker = startWorker();
    worker.addEventListener('message', (event) => this.#onMessage(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault?.();
      this.#fail({
        code: 'engine',
        message: `The analysis engine stopped unexpectedly${event.message ? `: ${event.message}` : '.'}`,
      });
    });
    worker.addEventListener('messageerror', () => {
      this.#fail({ code: 'engine', message: 'A message from the analysis engine could not be read.' });
    });
    return worker;
  }

  #stop() {
    this.#worker?.terminate();
    this.#worker = null;
  }

  // The worker itself failed: reject the running request, throw the worker away, go on.
  #fail(error) {
    const current = this.#current;
    this.#current = null;
    this.#stop();
    current?.reject(new RequestError(error));
    this.#pump();
  }

  #pump() {
    if (this.#current || this.#waiting.length === 0) return;
    const next = this.#waiting.shift();
    this.#worker ??= this.#start();
    this.#current = { id: this.#nextId++, ...next };
    this.#worker.postMessage({ ...next.payload, id: this.#current.id, op: next.op });
  }

  #onMessage(msg) {
    const current = this.#current;
    if (!current || msg?.id !== current.id) return; // a late reply to a cancelled request
    if (msg.progress) {
      current.onProgress?.(msg.progress);
      return;
    }
    this.#current = null;
    if (msg.ok) current.resolve(msg.result);
    else current.reject(new RequestError(msg.error));
    this.#pump();
  }
}
