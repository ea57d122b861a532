/*
 * Lamina bootstrap for Node.js functions: `node bootstrap.js`.
 *
 * Speaks the Lambda Runtime API (2018-06-01) at http://$AWS_LAMBDA_RUNTIME_API (which may carry a path
 * prefix) over one keep-alive connection, loads the handler named by $_HANDLER from $LAMBDA_TASK_ROOT
 * (CommonJS or ES module) and reproduces the behaviour of AWS's managed Node.js runtime: context object,
 * async / callback / context.succeed|fail|done handlers, callbackWaitsForEmptyEventLoop, console patching,
 * error shapes and the Runtime.* init errors. Standard library only, single file.
 */
'use strict';

const net = require('net');
const util = require('util');
const fs = require('fs');
const path = require('path');

// ---------------------------------------------------------------------------------------------------------
// Errors (same names and messages as the AWS runtime)

class RuntimeError extends Error {}
function runtimeError(name) {
  const cls = { [name]: class extends RuntimeError {} }[name];
  cls.prototype.name = 'Runtime.' + name;
  return cls;
}
const ImportModuleError = runtimeError('ImportModuleError');
const HandlerNotFound = runtimeError('HandlerNotFound');
const MalformedHandlerName = runtimeError('MalformedHandlerName');
const UserCodeSyntaxError = runtimeError('UserCodeSyntaxError');
const MalformedStreamingHandler = runtimeError('MalformedStreamingHandler');
const NodeJsExit = runtimeError('NodeJsExit');
const UnhandledPromiseRejection = runtimeError('UnhandledPromiseRejection');

function isErrorLike(e) {
  return e && typeof e.name === 'string' && typeof e.message === 'string' && typeof e.stack === 'string'
    && e.name && e.message && e.stack;
}

/** The body posted to /error endpoints: {errorType, errorMessage, trace}. */
function toRapidResponse(error) {
  try {
    if (util.types.isNativeError(error) || isErrorLike(error)) {
      return {
        errorType: error.name?.replaceAll('\x7F', '%7F'),
        errorMessage: error.message?.replaceAll('\x7F', '%7F'),
        trace: error.stack.replaceAll('\x7F', '%7F').split('\n'),
      };
    }
    return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
  } catch (_) {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

function withEnumerableProperties(value) {
  if (value instanceof Error) {
    const ret = Object.assign({ errorType: value.name, errorMessage: value.message, code: value.code }, value);
    if (typeof value.stack === 'string') ret.stack = value.stack.split('\n');
    return ret;
  }
  return value;
}

/** How the runtime prints an error after 'Invoke Error' / 'Uncaught Exception': a tab, then JSON. */
function toFormatted(error) {
  try {
    return '\t' + JSON.stringify(error, (_k, v) => withEnumerableProperties(v));
  } catch (_) {
    return '\t' + JSON.stringify(toRapidResponse(error));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Logging: every console method writes one record "<ISO time>\t<request id>\t<LEVEL>\t<message>" to stdout,
// newlines inside the message replaced by '\r' so that one record stays one line (as AWS does on stdout).

const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');
const TENANT_ID = Symbol.for('aws.lambda.runtime.tenantId');
const stdout = process.stdout;

function writeRecord(level, msg, params) {
  const text = params.length === 0 ? util.format(msg) : util.format(msg, ...params);
  let line = new Date().toISOString() + '\t' + global[REQUEST_ID] + '\t' + level + '\t' + text;
  if (line.indexOf('\n') !== -1) line = line.replace(/\n/g, '\r');
  stdout.write(line + '\n');
}

function patchConsole() {
  console.trace = (msg, ...params) => writeRecord('TRACE', msg, params);
  console.debug = (msg, ...params) => writeRecord('DEBUG', msg, params);
  console.info = (msg, ...params) => writeRecord('INFO', msg, params);
  console.log = console.info;
  console.warn = (msg, ...params) => writeRecord('WARN', msg, params);
  console.error = (msg, ...params) => writeRecord('ERROR', msg, params);
  console.fatal = (msg, ...params) => writeRecord('FATAL', msg, params);
}

function intoError(err) {
  return err instanceof Error ? err : new Error(err);
}

function logError(msg, err) {
  writeRecord('ERROR', msg, [toFormatted(intoError(err))]);
}

// ---------------------------------------------------------------------------------------------------------
// Runtime API client: HTTP/1.1 over one keep-alive net.Socket with no client-side timeouts (GET /next blocks
// until an event arrives). The protocol is strictly sequential per environment, so there is one request in
// flight at a time: it is written as one buffer and its response parsed incrementally from 'data' events
// (Content-Length, chunked and read-to-close bodies). Node's http module (ClientRequest, IncomingMessage, agent
// bookkeeping) about doubled the runtime's CPU time per invocation; this is the part of HTTP/1.1 the Runtime API
// needs, as the Python bootstrap does it.

const API = process.env.AWS_LAMBDA_RUNTIME_API;
if (!API) {
  process.stderr.write('AWS_LAMBDA_RUNTIME_API is not set\n');
  process.exit(1);
}
const slash = API.indexOf('/');
const HOST_PORT = slash < 0 ? API : API.slice(0, slash);
const BASE_PATH = (slash < 0 ? '' : API.slice(slash)) + '/2018-06-01/runtime';
let HOST = HOST_PORT;
let PORT = 80;
if (HOST_PORT.startsWith('[')) {
  const end = HOST_PORT.indexOf(']');
  HOST = HOST_PORT.slice(1, end);
  if (HOST_PORT[end + 1] === ':') PORT = Number(HOST_PORT.slice(end + 2));
} else {
  const colon = HOST_PORT.lastIndexOf(':');
  if (colon >= 0) {
    HOST = HOST_PORT.slice(0, colon);
    PORT = Number(HOST_PORT.slice(colon + 1));
  }
}

const ERROR_TYPE_HEADER = 'Lambda-Runtime-Function-Error-Type';
// Constant parts of the requests, built once.
const REQUEST_LINE_END = ' HTTP/1.1\r\nHost: ' + HOST_PORT + '\r\n';
const NEXT_REQUEST = Buffer.from('GET ' + BASE_PATH + '/invocation/next' + REQUEST_LINE_END + '\r\n');
const POST_START = 'POST ' + BASE_PATH;
const JSON_HEADERS = REQUEST_LINE_END + 'Content-Type: application/json\r\n';

const CRLF_CRLF = Buffer.from('\r\n\r\n', 'latin1');
const EMPTY_BODY = Buffer.alloc(0);
const MAX_LINE_BYTES = 1024 * 1024; // a response head or a chunk-size line longer than this is not HTTP
// Response parser states
const IDLE = 0; // no request in flight
const HEAD = 1; // status line and headers, up to the empty line
const LENGTH_BODY = 2; // Content-Length body
const CHUNK_SIZE = 3; // chunked body: chunk-size line
const CHUNK_DATA = 4; // chunked body: chunk data
const CHUNK_END = 5; // chunked body: the CRLF after chunk data
const TRAILERS = 6; // chunked body: trailer lines up to the empty line
const CLOSE_BODY = 7; // body delimited by the server closing the connection
// What a response head says about the body that follows
const BAD_HEAD = -1;
const INTERIM = 0;
const NO_BODY = 1;
const HAS_BODY = 2;

function protocolError(message) {
  const err = new Error('Runtime API response: ' + message);
  err.code = 'HPE_INVALID_RESPONSE';
  return err;
}

function connectionReset() {
  const err = new Error('socket hang up');
  err.code = 'ECONNRESET';
  return err;
}

function joinParts(parts) {
  if (parts.length === 0) return EMPTY_BODY;
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/** head.slice(from, to) without the optional whitespace (SP / HTAB only) around a header value. */
function headerValue(head, from, to) {
  let c;
  while (from < to && ((c = head.charCodeAt(from)) === 32 || c === 9)) from++;
  while (to > from && ((c = head.charCodeAt(to - 1)) === 32 || c === 9)) to--;
  return head.slice(from, to);
}

/**
 * One HTTP/1.1 connection to the Runtime API. request(data, callback) writes the request bytes and calls
 * callback(err, statusCode, headers, bodyBuffer) once the response is complete; headers holds only the
 * Lambda-Runtime-* headers, by lower-case name, values decoded as latin1 (as Node's http module does).
 * A request that fails on a reused keep-alive socket (closed by the server meanwhile) is retried once on a fresh
 * connection. The socket is ref'd while a request is outstanding and unref'd while idle, as http's keep-alive
 * agent does: a pending GET /next keeps the process alive, an idle connection does not (beforeExit still fires
 * when user code leaves the event loop empty).
 */
class RuntimeApiConnection {
  constructor(keepAlive) {
    this.keepAlive = keepAlive;
    this.extraHeaders = keepAlive ? '' : 'Connection: close\r\n';
    this.socket = null;
    this.queue = []; // requests waiting for the one in flight (the protocol never overlaps them; a safety net)
    this.data = null; // the request in flight
    this.callback = null;
    this.reused = false;
    this.retried = false;
    this.state = IDLE;
    this.pending = null; // bytes of an incomplete head or line, carried over to the next 'data' event
    this.status = 0;
    this.headers = null;
    this.closeAfter = false;
    this.remaining = 0;
    this.body = null;
    this.filled = 0;
    this.parts = null;
  }

  request(data, callback) {
    if (this.callback !== null) {
      this.queue.push(data, callback);
      return;
    }
    this.data = data;
    this.callback = callback;
    this.retried = false;
    this.send();
  }

  send() {
    let socket = this.socket;
    this.reused = socket !== null;
    if (socket === null) socket = this.connect();
    this.state = HEAD;
    socket.ref();
    socket.write(this.data);
  }

  connect() {
    const socket = net.connect(PORT, HOST);
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      if (socket === this.socket) this.onData(chunk);
    });
    socket.on('end', () => {
      if (socket === this.socket) this.onEnd();
    });
    socket.on('close', () => {
      if (socket === this.socket) this.onEnd();
    });
    socket.on('error', (err) => {
      if (socket === this.socket) this.onError(err);
    });
    this.socket = socket;
    return socket;
  }

  /**
   * Starts a request whose body follows in pieces (a streamed response): writes the head now and returns the
   * socket for the caller to write chunks to. Never retried (the body cannot be sent again); callback as request().
   */
  stream(head, callback) {
    this.data = null;
    this.callback = callback;
    this.retried = true;
    const socket = this.socket !== null ? this.socket : this.connect();
    this.reused = false;
    this.state = HEAD;
    socket.ref();
    socket.write(head);
    return socket;
  }

  discard() {
    const socket = this.socket;
    this.socket = null;
    if (socket !== null) socket.destroy();
  }

  onError(err) {
    this.discard();
    if (this.state !== IDLE) this.fail(err);
  }

  onEnd() {
    if (this.state === CLOSE_BODY) {
      this.closeAfter = true;
      this.complete(joinParts(this.parts));
      return;
    }
    this.discard(); // while idle: the server closed the kept-alive connection, the next request opens a new one
    if (this.state !== IDLE) this.fail(connectionReset());
  }

  fail(err) {
    this.discard();
    this.reset();
    if (!this.retried && (this.reused || err.code === 'ECONNRESET')) {
      this.retried = true;
      this.send();
      return;
    }
    this.finish(err, 0, null, null);
  }

  reset() {
    this.state = IDLE;
    this.pending = null;
    this.headers = null;
    this.body = null;
    this.parts = null;
  }

  complete(body) {
    const status = this.status;
    const headers = this.headers;
    this.reset();
    if (this.closeAfter || !this.keepAlive) this.discard();
    this.finish(null, status, headers, body);
  }

  finish(err, status, headers, body) {
    const callback = this.callback;
    this.callback = null;
    this.data = null;
    if (this.queue.length !== 0) {
      const data = this.queue.shift();
      this.request(data, this.queue.shift());
    } else if (this.socket !== null) {
      this.socket.unref();
    }
    callback(err, status, headers, body);
  }

  onData(chunk) {
    if (this.state === IDLE) { // bytes nobody asked for: this connection is out of step
      this.discard();
      return;
    }
    let buf = chunk;
    if (this.pending !== null) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    const length = buf.length;
    let pos = 0;
    while (pos < length) {
      switch (this.state) {
        case HEAD: {
          const end = buf.indexOf(CRLF_CRLF, pos);
          if (end < 0) return this.carryOver(buf, pos);
          const kind = this.parseHead(buf, pos, end);
          pos = end + 4;
          if (kind === BAD_HEAD) return this.fail(protocolError('malformed head'));
          if (kind === NO_BODY) return this.completeAt(buf, pos, EMPTY_BODY);
          break; // an interim (1xx) response is followed by another head
        }
        case LENGTH_BODY: {
          const available = length - pos;
          if (this.body === null) {
            if (available >= this.remaining) { // the whole body in this chunk: no copy
              const end = pos + this.remaining;
              return this.completeAt(buf, end, pos === 0 && end === length ? buf : buf.subarray(pos, end));
            }
            this.body = Buffer.allocUnsafe(this.remaining);
            this.filled = 0;
          }
          const n = available < this.remaining ? available : this.remaining;
          buf.copy(this.body, this.filled, pos, pos + n);
          this.filled += n;
          this.remaining -= n;
          pos += n;
          if (this.remaining === 0) return this.completeAt(buf, pos, this.body);
          break;
        }
        case CHUNK_SIZE: {
          const eol = buf.indexOf(10, pos);
          if (eol < 0) return this.carryOver(buf, pos);
          const size = parseInt(buf.toString('latin1', pos, eol), 16); // stops at ';' (chunk extensions)
          if (!(size >= 0)) return this.fail(protocolError('bad chunk size'));
          pos = eol + 1;
          if (size === 0) {
            this.state = TRAILERS;
          } else {
            this.remaining = size;
            this.state = CHUNK_DATA;
          }
          break;
        }
        case CHUNK_DATA: {
          const available = length - pos;
          const n = available < this.remaining ? available : this.remaining;
          this.parts.push(pos === 0 && n === length ? buf : buf.subarray(pos, pos + n));
          this.remaining -= n;
          pos += n;
          if (this.remaining === 0) this.state = CHUNK_END;
          break;
        }
        case CHUNK_END:
        case TRAILERS: {
          const eol = buf.indexOf(10, pos);
          if (eol < 0) return this.carryOver(buf, pos);
          const empty = eol === pos || (eol === pos + 1 && buf[pos] === 13);
          pos = eol + 1;
          if (this.state === CHUNK_END) {
            if (!empty) return this.fail(protocolError('chunk data longer than its size'));
            this.state = CHUNK_SIZE;
          } else if (empty) {
            return this.completeAt(buf, pos, joinParts(this.parts));
          }
          break;
        }
        case CLOSE_BODY:
          this.parts.push(pos === 0 ? buf : buf.subarray(pos));
          return;
        default:
          return;
      }
    }
  }

  /** The response ended at buf[pos]; bytes after it (never sent to a sequential client) mean the stream is out of step. */
  completeAt(buf, pos, body) {
    if (pos < buf.length) this.closeAfter = true;
    this.complete(body);
  }

  carryOver(buf, pos) {
    if (buf.length - pos > MAX_LINE_BYTES) return this.fail(protocolError('head or chunk-size line too long'));
    this.pending = buf.subarray(pos);
  }

  /** Status line and headers in buf[start, end); sets the parser up for the body. */
  parseHead(buf, start, end) {
    const head = buf.toString('latin1', start, end);
    if (!head.startsWith('HTTP/1.') || head.charCodeAt(8) !== 32) return BAD_HEAD;
    const status = parseInt(head.slice(9, 12), 10);
    if (!(status >= 100)) return BAD_HEAD;
    const headers = {};
    let contentLength = -1;
    let chunked = false;
    let close = head.charCodeAt(7) === 48; // HTTP/1.0
    let pos = head.indexOf('\r\n');
    const headLength = head.length;
    while (pos >= 0 && pos < headLength) {
      pos += 2;
      let eol = head.indexOf('\r\n', pos);
      if (eol < 0) eol = headLength;
      const colon = head.indexOf(':', pos);
      if (colon > pos && colon < eol) {
        const nameLength = colon - pos;
        if (nameLength > 15) { // lambda-runtime-*
          const name = head.slice(pos, colon).toLowerCase();
          if (name.startsWith('lambda-runtime-')) {
            const value = headerValue(head, colon + 1, eol);
            const previous = headers[name];
            headers[name] = previous === undefined ? value : previous + ', ' + value;
          } else if (name === 'transfer-encoding') {
            chunked = headerValue(head, colon + 1, eol).toLowerCase().includes('chunked');
          }
        } else if (nameLength === 14) {
          if (head.slice(pos, colon).toLowerCase() === 'content-length') {
            const value = headerValue(head, colon + 1, eol);
            contentLength = /^\d+$/.test(value) ? Number(value) : -2;
          }
        } else if (nameLength === 10) {
          if (head.slice(pos, colon).toLowerCase() === 'connection') {
            close = headerValue(head, colon + 1, eol).toLowerCase().includes('close');
          }
        }
      }
      pos = eol;
    }
    this.status = status;
    this.headers = headers;
    this.closeAfter = close;
    if (status < 200) return INTERIM;
    if (status === 204 || status === 304) return NO_BODY;
    if (chunked) {
      this.parts = [];
      this.state = CHUNK_SIZE;
    } else if (contentLength === -2) {
      return BAD_HEAD;
    } else if (contentLength === 0) {
      return NO_BODY;
    } else if (contentLength > 0) {
      this.remaining = contentLength;
      this.body = null;
      this.state = LENGTH_BODY;
    } else {
      this.parts = [];
      this.state = CLOSE_BODY;
    }
    return HAS_BODY;
  }
}

const runtimeApi = new RuntimeApiConnection(true);

function fatal(what, err) {
  process.stderr.write(`Lamina runtime: ${what} failed: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
}

function sanitizeHeader(value) {
  return String(value).replace(/[^\t\x20-\x7e]/g, '');
}

/** The checks Node's http module made on a header value set by user code (the streaming Content-Type). */
function checkHeaderValue(name, value) {
  if (value === undefined) {
    const err = new TypeError(`Invalid value "${value}" for header "${name}"`);
    err.code = 'ERR_HTTP_INVALID_HEADER_VALUE';
    throw err;
  }
  const text = String(value);
  if (/[^\t\x20-\x7e\x80-\xff]/.test(text)) {
    const err = new TypeError(`Invalid character in header content ["${name}"]`);
    err.code = 'ERR_INVALID_CHAR';
    throw err;
  }
  return text;
}

/** POSTs a JSON body; extraHeaders is '' or complete header lines. The head is ASCII, so one UTF-8 string. */
function postJson(urlPath, bodyString, extraHeaders, callback, connection = runtimeApi) {
  const request = POST_START + urlPath + JSON_HEADERS + extraHeaders + connection.extraHeaders
    + 'Content-Length: ' + Buffer.byteLength(bodyString) + '\r\n\r\n' + bodyString;
  connection.request(request, (err, status, _h, resBody) => {
    if (err) return fatal('POST ' + urlPath, err);
    if (status !== 202) {
      process.stderr.write(`Lamina runtime: POST ${urlPath} returned ${status}: ${resBody}\n`);
    }
    callback();
  });
}

function serializeResponse(result) {
  try {
    return JSON.stringify(result === undefined ? null : result);
  } catch (_) {
    throw new Error('Unable to stringify response body');
  }
}

function postInvocationResponse(result, id, callback) {
  // Throws synchronously when the result cannot be serialized (the caller turns that into an error).
  const body = serializeResponse(result);
  postJson('/invocation/' + encodeURIComponent(id) + '/response', body, '', callback);
}

function errorTypeHeader(response) {
  return ERROR_TYPE_HEADER + ': ' + sanitizeHeader(response.errorType) + '\r\n';
}

function postInvocationError(error, id, callback, connection) {
  const response = toRapidResponse(error);
  postJson('/invocation/' + encodeURIComponent(id) + '/error', JSON.stringify(response),
    errorTypeHeader(response), callback, connection);
}

function postInitError(error, callback, connection) {
  const response = toRapidResponse(error);
  postJson('/init/error', JSON.stringify(response), errorTypeHeader(response), callback, connection);
}

// ---------------------------------------------------------------------------------------------------------
// Loading the handler (same resolution rules as the AWS runtime)

const FUNCTION_EXPR = /^([^.]*)\.(.*)$/;
const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HANDLER_HIGHWATERMARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const STREAM_RESPONSE = 'response';

function installAwsLambdaGlobal() {
  const noGlobal = process.env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA;
  if (noGlobal === '1' || noGlobal === 'true') return;
  globalThis.awslambda = {
    streamifyResponse: (handler, options) => {
      handler[HANDLER_STREAMING] = STREAM_RESPONSE;
      if (typeof options?.highWaterMark === 'number') {
        handler[HANDLER_HIGHWATERMARK] = parseInt(options.highWaterMark);
      }
      return handler;
    },
    HttpResponseStream: class HttpResponseStream {
      static from(underlyingStream, prelude) {
        underlyingStream.setContentType('application/vnd.awslambda.http-integration-response');
        const metadataPrelude = JSON.stringify(prelude);
        underlyingStream._onBeforeFirstWrite = (write) => {
          write(metadataPrelude);
          write(new Uint8Array(8));
        };
        return underlyingStream;
      }
    },
  };
}

function tryRequireFile(file, extension) {
  const p = file + (extension || '');
  return fs.existsSync(p) ? require(p) : undefined;
}

async function tryImportFile(file, extension) {
  const p = file + (extension || '');
  if (fs.existsSync(p)) return await import(require('url').pathToFileURL(p).href);
  return undefined;
}

function folderHasPackageJsonTypeModule(folder) {
  if (folder.endsWith('/node_modules')) return false;
  const pj = path.join(folder, '/package.json');
  if (fs.existsSync(pj)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(pj));
      if (pkg) return pkg.type === 'module';
    } catch (e) {
      console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, e);
      return false;
    }
  }
  if (folder === '/') return false;
  return folderHasPackageJsonTypeModule(path.resolve(folder, '..'));
}

function hasPackageJsonTypeModule(file) {
  const jsPath = file + '.js';
  return fs.existsSync(jsPath) ? folderHasPackageJsonTypeModule(path.resolve(path.dirname(jsPath))) : false;
}

async function tryRequire(appRoot, moduleRoot, module) {
  const lambdaStylePath = path.resolve(appRoot, moduleRoot, module);

  const extensionless = tryRequireFile(lambdaStylePath);
  if (extensionless) return extensionless;

  const pjHasModule = hasPackageJsonTypeModule(lambdaStylePath);
  if (!pjHasModule) {
    const loaded = tryRequireFile(lambdaStylePath, '.js');
    if (loaded) return loaded;
  }

  const loaded = (pjHasModule && (await tryImportFile(lambdaStylePath, '.js')))
    || (await tryImportFile(lambdaStylePath, '.mjs'))
    || tryRequireFile(lambdaStylePath, '.cjs');
  if (loaded) return loaded;

  // Fall back to node's own resolution (e.g. a package in node_modules), relative to the task root.
  return require(require.resolve(module, { paths: [appRoot, moduleRoot] }));
}

async function loadUserApp(appRoot, moduleRoot, module) {
  installAwsLambdaGlobal();
  try {
    return await tryRequire(appRoot, moduleRoot, module);
  } catch (e) {
    if (e instanceof SyntaxError) throw new UserCodeSyntaxError(e);
    if (e && e.code !== undefined && e.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(e);
    throw e;
  }
}

async function loadHandler(appRoot, fullHandlerString) {
  if (fullHandlerString.includes('..')) {
    throw new MalformedHandlerName(`'${fullHandlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const handlerString = path.basename(fullHandlerString);
  const moduleRoot = fullHandlerString.substring(0, fullHandlerString.indexOf(handlerString));
  const match = handlerString.match(FUNCTION_EXPR);
  if (!match || match.length !== 3) throw new MalformedHandlerName('Bad handler');

  const userApp = await loadUserApp(appRoot, moduleRoot, match[1]);
  const handlerFunc = match[2].split('.').reduce((nested, key) => nested && nested[key], userApp);
  if (!handlerFunc) throw new HandlerNotFound(`${fullHandlerString} is undefined or not exported`);
  if (typeof handlerFunc !== 'function') throw new HandlerNotFound(`${fullHandlerString} is not a function`);
  return handlerFunc;
}

function streamingMode(handler) {
  const mode = handler[HANDLER_STREAMING];
  if (mode === undefined || mode === null || mode === false) return false;
  if (mode === STREAM_RESPONSE) return STREAM_RESPONSE;
  throw new MalformedStreamingHandler('Only response streaming is supported.');
}

// ---------------------------------------------------------------------------------------------------------
// Invocation loop

const NOOP = () => {};
let beforeExitListener = NOOP;
let lastInvokeId = null; // errors escaping user code are reported against this invocation (init error if null)

function parseJsonHeader(value, name) {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new Error(`Cannot parse ${name} as json: ${err.toString()}`);
  }
}

/** Node decodes header values as latin1; JSON headers (client context, identity) may carry UTF-8 bytes. */
function utf8Header(value) {
  if (value === undefined || !/[\x80-\xff]/.test(value)) return value;
  const utf8 = Buffer.from(value, 'latin1').toString('utf8');
  return utf8.includes('\ufffd') ? value : utf8;
}

function attachEnvironmentData(context, headers, id) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  context.functionVersion = process.env.AWS_LAMBDA_FUNCTION_VERSION;
  context.functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
  context.memoryLimitInMB = process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
  context.logGroupName = process.env.AWS_LAMBDA_LOG_GROUP_NAME;
  context.logStreamName = process.env.AWS_LAMBDA_LOG_STREAM_NAME;
  context.clientContext = parseJsonHeader(utf8Header(headers['lambda-runtime-client-context']), 'ClientContext');
  context.identity = parseJsonHeader(utf8Header(headers['lambda-runtime-cognito-identity']), 'CognitoIdentity');
  context.invokedFunctionArn = headers['lambda-runtime-invoked-function-arn'];
  context.awsRequestId = id;
  context.tenantId = headers['lambda-runtime-aws-tenant-id'];
  context.getRemainingTimeInMillis = () => deadline - Date.now();
  return context;
}

function onNextInvocation(err, status, headers, body) {
  if (err) return fatal('GET /invocation/next', err);
  if (status !== 200) return fatal('GET /invocation/next', `HTTP ${status}: ${body}`);
  handleInvocation(headers, body);
}

function scheduleNext() {
  runtimeApi.request(NEXT_REQUEST, onNextInvocation);
}

function handleInvocation(headers, body) {
  const id = headers['lambda-runtime-aws-request-id'];
  if (!id) return fatal('GET /invocation/next', 'invocation id is missing');
  global[REQUEST_ID] = id;
  global[TENANT_ID] = headers['lambda-runtime-aws-tenant-id'];
  lastInvokeId = id;
  const trace = headers['lambda-runtime-trace-id'];
  if (trace) process.env._X_AMZN_TRACE_ID = trace;
  else delete process.env._X_AMZN_TRACE_ID;

  if (handlerStreaming === STREAM_RESPONSE) return handleStreamingInvocation(id, headers, body);

  // --- callback / context.done / promise plumbing, as in the AWS runtime ---
  let isCompleteInvoked = false;
  let waitForEmptyEventLoop = true;
  const postError = (err, cb) => {
    logError('Invoke Error', err);
    postInvocationError(err, id, cb);
  };
  const complete = (result, cb) => {
    if (isCompleteInvoked) {
      console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
      return;
    }
    isCompleteInvoked = true;
    postInvocationResponse(result, id, cb);
  };
  const rawCallback = (err, result) => {
    beforeExitListener = NOOP;
    if (err !== undefined && err !== null) {
      postError(err, scheduleNext);
    } else if (!waitForEmptyEventLoop) {
      complete(result, scheduleNext);
    } else {
      beforeExitListener = () => {
        beforeExitListener = NOOP;
        setImmediate(() => complete(result, scheduleNext));
      };
    }
  };
  const done = (err, result) => {
    beforeExitListener = NOOP;
    if (err !== undefined && err !== null) postError(err, scheduleNext);
    else complete(result, scheduleNext);
  };
  // Only the first call to any of callback/succeed/fail/done counts.
  let finished = false;
  const once = (fn) => function () {
    if (!finished) {
      fn.apply(null, arguments);
      finished = true;
    }
  };
  const callback = once(rawCallback);
  const context = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitForEmptyEventLoop = value;
    },
    succeed: once((result) => done(null, result)),
    fail: once((err) => (err === undefined || err === null ? done('handled') : done(err, null))),
    done: once(done),
  };

  // If the event loop drains without the handler finishing: a sync/callback handler answers null,
  // an async handler whose promise never settled fails with Runtime.NodeJsExit.
  beforeExitListener = () => {
    beforeExitListener = NOOP;
    isCompleteInvoked = true;
    if (handlerIsAsync) {
      const exitError = new NodeJsExit('The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes');
      logError('Invoke Error', exitError);
      postInvocationError(exitError, id, scheduleNext);
    } else {
      postInvocationResponse(null, id, scheduleNext);
    }
  };

  try {
    const event = JSON.parse(body.toString('utf8'));
    const result = handler(event, attachEnvironmentData(context, headers, id), callback);
    if (result && typeof result.then === 'function') {
      result.then(context.succeed, context.fail).catch(context.fail);
    }
  } catch (err) {
    callback(err);
  }
}

/**
 * Handlers wrapped with awslambda.streamifyResponse(): the response is POSTed with
 * Lambda-Runtime-Function-Response-Mode: streaming and Transfer-Encoding: chunked on a connection of its own,
 * each write() becoming a chunk as it happens; an error after the start goes in the trailers
 * Lambda-Runtime-Function-Error-Type / -Body (base64 of the error document), as the AWS runtime does.
 */
function handleStreamingInvocation(id, headers, body) {
  const { Writable } = require('stream');
  let contentType = 'application/octet-stream';
  let socket = null; // opened by the first write, end or failure
  let connection = null;
  let responded = false; // the Runtime API answered the POST
  let settled = false; // the handler's promise settled (or the invocation failed)
  let reported = false; // the stream was ended, normally or with an error
  const maybeNext = () => {
    if (responded && settled) {
      beforeExitListener = NOOP;
      scheduleNext();
    }
  };
  const open = () => {
    if (socket !== null) return socket;
    connection = new RuntimeApiConnection(false);
    const head = POST_START + '/invocation/' + encodeURIComponent(id) + '/response' + REQUEST_LINE_END
      + 'Lambda-Runtime-Function-Response-Mode: streaming\r\n'
      + 'Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n'
      + 'Content-Type: ' + checkHeaderValue('Content-Type', contentType) + '\r\n'
      + 'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
    socket = connection.stream(Buffer.from(head, 'latin1'), (err, status, _h, resBody) => {
      if (err) return fatal('POST response', err);
      if (status !== 202 && status !== 400) process.stderr.write(`Lamina runtime: POST response returned ${status}: ${resBody}\n`);
      responded = true;
      maybeNext();
    });
    return socket;
  };
  const writeChunk = (chunk, cb) => {
    const s = open();
    if (chunk.length === 0) return cb();
    s.write(chunk.length.toString(16) + '\r\n', 'latin1');
    s.write(chunk);
    if (s.write('\r\n', 'latin1')) cb();
    else s.once('drain', () => cb());
  };
  const fail = (err) => {
    if (reported) return;
    reported = true;
    settled = true;
    logError('Invoke Error', err);
    const response = toRapidResponse(err);
    open().write('0\r\nLambda-Runtime-Function-Error-Type: ' + sanitizeHeader(response.errorType)
      + '\r\nLambda-Runtime-Function-Error-Body: ' + Buffer.from(JSON.stringify(response)).toString('base64')
      + '\r\n\r\n', 'latin1');
    maybeNext();
  };
  let firstWrite = true;
  const responseStream = new Writable({
    highWaterMark: handlerHighWaterMark,
    write(chunk, _enc, cb) {
      if (!reported) writeChunk(chunk, cb);
      else cb();
    },
    final(cb) {
      if (!reported) {
        reported = true;
        open().write('0\r\n\r\n', 'latin1');
      }
      cb();
    },
  });
  const origWrite = responseStream.write.bind(responseStream);
  responseStream.setContentType = (type) => {
    if (!firstWrite) {
      const err = new Error('Cannot set content-type, too late.');
      err.name = 'Runtime.InvalidStreamingOperation';
      throw err;
    }
    contentType = type;
  };
  responseStream.write = (chunk, encoding, cb) => {
    if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk) && chunk?.constructor !== Uint8Array) {
      chunk = JSON.stringify(chunk);
    }
    if (firstWrite) {
      firstWrite = false;
      if (typeof responseStream._onBeforeFirstWrite === 'function') responseStream._onBeforeFirstWrite(origWrite);
    }
    return origWrite(chunk, encoding, cb);
  };
  const origEnd = responseStream.end.bind(responseStream);
  responseStream.end = (chunk, encoding, cb) => {
    if (typeof chunk === 'function') return origEnd(chunk);
    if (chunk !== undefined && chunk !== null) responseStream.write(chunk, typeof encoding === 'string' ? encoding : undefined);
    else if (firstWrite) firstWrite = false;
    return origEnd(typeof encoding === 'function' ? encoding : cb);
  };
  let waitForEmptyEventLoop = true;
  const context = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitForEmptyEventLoop = value;
    },
  };
  beforeExitListener = () => {
    beforeExitListener = NOOP;
    if (!reported) fail(new Error('Response stream is not finished.'));
  };
  try {
    const event = JSON.parse(body.toString('utf8'));
    const result = handler(event, responseStream, attachEnvironmentData(context, headers, id));
    if (!result || typeof result.then !== 'function') {
      fail(new Error('Streaming does not support non-async handlers.'));
      return;
    }
    result.then((value) => {
      if (typeof value !== 'undefined') console.warn('Streaming handlers ignore return values.');
      const done = () => {
        settled = true;
        maybeNext();
      };
      if (responseStream.writableFinished) done();
      else if (responseStream.writableEnded) responseStream.once('finish', done);
      else fail(new Error('Response stream is not finished.'));
    }, fail);
  } catch (err) {
    fail(err);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Start-up

let handler;
let handlerIsAsync = false;
let handlerStreaming = false;
let handlerHighWaterMark;

function reportFatal(error, exitCode) {
  // A fresh connection: the keep-alive socket may be busy with a pending GET /next.
  const exit = () => process.exit(exitCode);
  try {
    const connection = new RuntimeApiConnection(false);
    if (lastInvokeId === null) postInitError(error, exit, connection);
    else postInvocationError(error, lastInvokeId, exit, connection);
  } catch (_) {
    exit();
  }
}

patchConsole();

process.on('uncaughtException', (error) => {
  logError('Uncaught Exception', error);
  reportFatal(error, 129);
});
process.on('unhandledRejection', (reason, promise) => {
  const error = new UnhandledPromiseRejection(reason);
  error.reason = reason;
  error.promise = promise;
  logError('Unhandled Promise Rejection', error);
  reportFatal(error, 128);
});
process.on('beforeExit', () => beforeExitListener());

(async () => {
  const appRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
  handler = await loadHandler(appRoot, process.env._HANDLER || '');
  handlerIsAsync = handler.constructor?.name === 'AsyncFunction';
  handlerStreaming = streamingMode(handler);
  handlerHighWaterMark = typeof handler[HANDLER_HIGHWATERMARK] === 'number' ? handler[HANDLER_HIGHWATERMARK] : undefined;
  if (process.env.AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING === undefined && handler.length === 3
      && !handlerIsAsync && !handlerStreaming) {
    console.warn('AWS Lambda plans to remove support for callback-based function handlers starting with Node.js 24. You will need to update this function to use an async handler to use Node.js 24 or later. For more information and to provide feedback on this change, see https://github.com/aws/aws-lambda-nodejs-runtime-interface-client/issues/137. To disable this warning, set the AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING environment variable.');
  }
  scheduleNext();
})().catch((error) => {
  logError('Uncaught Exception', error);
  reportFatal(error, 129);
});
