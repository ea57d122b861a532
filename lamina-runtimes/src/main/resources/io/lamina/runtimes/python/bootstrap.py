"""
Lamina bootstrap for Python functions: ``python3 -u bootstrap.py``.

Speaks the Lambda Runtime API (2018-06-01) at http://$AWS_LAMBDA_RUNTIME_API (which may carry a path prefix)
over one persistent HTTP/1.1 connection, imports the handler named by $_HANDLER from $LAMBDA_TASK_ROOT and
reproduces the behaviour of AWS's managed Python runtime (awslambdaric): context object, error shapes,
Runtime.* init errors, logging format, marshalling. Standard library only, single file, minimal imports
(the HTTP client is a few lines over a socket: http.client alone costs tens of milliseconds to import).
"""

import json
import logging
import os
import socket
import sys
import time

ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
ERROR_LOG_LINE_TERMINATE = "\r"
ERROR_LOG_IDENT = "\u00a0"  # NO-BREAK SPACE, used by AWS to indent stack trace lines in logs
_THIS_FILE = os.path.abspath(__file__)

LAMBDA_UNHANDLED_EXCEPTION_WARNING = (
    "LAMBDA_WARNING: "
    "Unhandled exception. "
    "The most likely cause is an issue in the function code. "
    "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. "
    "For functions using managed runtimes, runtime updates can be triggered by a function change, or can be applied automatically. "
    "To determine if the runtime has been updated, check the runtime version in the INIT_START log entry. "
    "If this error correlates with a change in the runtime version, you may be able to mitigate this error by temporarily rolling back to the previous runtime version. "
    "For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r"
)


class FaultException(Exception):
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        self.msg = msg
        self.exception_type = exception_type
        self.trace = trace


# ------------------------------------------------------------------------------------------------------------
# JSON marshalling (AWS: simplejson, ensure_ascii=False from python3.12 on, NaN allowed, Decimal as a number)


def _ensure_ascii():
    env = os.environ.get("AWS_EXECUTION_ENV", "")
    if env.startswith("AWS_Lambda_python3."):
        try:
            return int(env[len("AWS_Lambda_python3."):]) < 12
        except ValueError:
            return True
    return True


class _Encoder(json.JSONEncoder):
    def default(self, o):
        if type(o).__name__ == "Decimal" and type(o).__module__ in ("decimal", "_decimal", "_pydecimal"):
            if o.is_nan():
                return float("nan")
            if o.is_finite() and o.as_tuple().exponent >= 0:
                return int(o)
            return float(o)
        return super().default(o)


_encoder = _Encoder(ensure_ascii=_ensure_ascii(), allow_nan=True)
to_json = _encoder.encode


def unmarshal_request(body, content_type):
    if content_type is not None and content_type != "application/json":
        return body
    try:
        return json.loads(body)
    except Exception as e:
        raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: {}".format(str(e)), None)


def marshal_response(response):
    if isinstance(response, bytes):
        return response, "application/unknown"
    try:
        return to_json(response).encode("utf-8"), "application/json"
    except Exception as e:
        raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: {}".format(str(e)), None)


# ------------------------------------------------------------------------------------------------------------
# Runtime API client: one keep-alive HTTP/1.1 connection, reopened when it breaks; no timeouts.


class RuntimeApiError(Exception):
    pass


class RuntimeClient(object):
    def __init__(self, api):
        host_port, slash, prefix = api.partition("/")
        self.base = (slash + prefix) + "/2018-06-01/runtime"
        if host_port.startswith("["):
            end = host_port.index("]")
            host = host_port[1:end]
            port = int(host_port[end + 2:]) if host_port[end + 1:end + 2] == ":" else 80
        else:
            host, colon, port = host_port.rpartition(":")
            if not colon:
                host, port = host_port, 80
        # bytes: getaddrinfo() would otherwise import the idna codec just to encode an IP address
        self.address = (host.encode("ascii") if host.isascii() else host, int(port))
        self.host_header = "Host: " + host_port + "\r\n"
        self.sock = None
        self.rfile = None

    def close(self):
        for closeable in (self.rfile, self.sock):
            if closeable is not None:
                try:
                    closeable.close()
                except OSError:
                    pass
        self.sock = self.rfile = None

    def _connect(self):
        sock = socket.create_connection(self.address, None)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = sock
        self.rfile = sock.makefile("rb")

    def request(self, method, path, body=None, headers=None):
        head = method + " " + self.base + path + " HTTP/1.1\r\n" + self.host_header
        if headers:
            for name, value in headers.items():
                head += name + ": " + value + "\r\n"
        if body is not None:
            head += "Content-Length: " + str(len(body)) + "\r\n"
        data = (head + "\r\n").encode("latin-1", "replace")
        if body:
            data += body
        for attempt in (0, 1):
            reused = self.sock is not None
            try:
                if not reused:
                    self._connect()
                self.sock.sendall(data)
                return self._read_response()
            except (OSError, RuntimeApiError):
                self.close()
                if attempt or not reused:
                    raise

    def _read_response(self):
        rfile = self.rfile
        while True:
            line = rfile.readline(65537)
            if not line:
                raise RuntimeApiError("connection closed by the Runtime API")
            parts = line.split(None, 2)
            status = int(parts[1])
            headers = {}
            while True:
                line = rfile.readline(65537)
                if line in (b"\r\n", b"\n"):
                    break
                if not line:
                    raise RuntimeApiError("connection closed by the Runtime API")
                try:
                    line = line.decode("utf-8")
                except UnicodeDecodeError:
                    line = line.decode("latin-1")
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if not 100 <= status < 200:  # skip interim responses
                break
        if status in (204, 304):
            body = b""
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            chunks = []
            while True:
                size_line = rfile.readline(65537)
                if not size_line:
                    raise RuntimeApiError("connection closed by the Runtime API")
                size = int(size_line.split(b";", 1)[0].strip(), 16)
                if size == 0:
                    while rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self._read_exactly(size))
                rfile.readline(65537)
            body = b"".join(chunks)
        elif "content-length" in headers:
            body = self._read_exactly(int(headers["content-length"]))
        else:
            body = rfile.read()
            self.close()
            return status, headers, body
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    def _read_exactly(self, n):
        data = self.rfile.read(n) if n else b""
        if len(data) != n:
            raise RuntimeApiError("connection closed by the Runtime API")
        return data

    def wait_next_invocation(self):
        status, headers, body = self.request("GET", "/invocation/next")
        if status != 200:
            raise RuntimeApiError("GET /invocation/next returned {}: {!r}".format(status, body))
        return headers, body

    def _post(self, path, body, headers, expected=202):
        status, _, response_body = self.request("POST", path, body, headers)
        if status != expected:
            sys.stderr.write("Lamina runtime: POST {} returned {}: {!r}\n".format(path, status, response_body))

    def post_invocation_result(self, invoke_id, result, content_type):
        self._post("/invocation/" + invoke_id + "/response", result, {"Content-Type": content_type})

    def post_invocation_error(self, invoke_id, error_result):
        self._post("/invocation/" + invoke_id + "/error", to_json(error_result).encode("utf-8"), {
            "Content-Type": "application/json",
            ERROR_TYPE_HEADER: error_result["errorType"],
        })

    def post_init_error(self, error_result):
        self._post("/init/error", to_json(error_result).encode("utf-8"), {
            "Content-Type": "application/json",
            ERROR_TYPE_HEADER: error_result["errorType"],
        })


# ------------------------------------------------------------------------------------------------------------
# Context object (same attributes as awslambdaric.lambda_context)


class LambdaContext(object):
    def __init__(self, invoke_id, client_context, cognito_identity, epoch_deadline_time_in_ms,
                 invoked_function_arn=None, tenant_id=None):
        self.aws_request_id = invoke_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id

        self.client_context = make_obj_from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = make_obj_from_dict(Client, self.client_context.client)

        self.identity = make_obj_from_dict(CognitoIdentity, {})
        if cognito_identity is not None:
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")

        self._epoch_deadline_time_in_ms = epoch_deadline_time_in_ms

    def get_remaining_time_in_millis(self):
        delta_ms = self._epoch_deadline_time_in_ms - int(time.time() * 1000)
        return delta_ms if delta_ms > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))

    def __repr__(self):
        return (
            "{}([aws_request_id={},log_group_name={},log_stream_name={},function_name={},memory_limit_in_mb={},"
            "function_version={},invoked_function_arn={},client_context={},identity={},tenant_id={}])".format(
                self.__class__.__name__, self.aws_request_id, self.log_group_name, self.log_stream_name,
                self.function_name, self.memory_limit_in_mb, self.function_version, self.invoked_function_arn,
                self.client_context, self.identity, self.tenant_id))


class _SlotsRepr(object):
    __slots__ = ()

    def __repr__(self):
        return "{}([{}])".format(
            self.__class__.__name__, ",".join("{}={}".format(s, getattr(self, s)) for s in self.__slots__))


class CognitoIdentity(_SlotsRepr):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client(_SlotsRepr):
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext(_SlotsRepr):
    __slots__ = ["custom", "env", "client"]


def make_obj_from_dict(_class, _dict):
    if _dict is None:
        return None
    obj = _class()
    for field in _class.__slots__:
        setattr(obj, field, _dict.get(field, None))
    return obj


def parse_json_header(header, name):
    try:
        return json.loads(header)
    except Exception as e:
        raise FaultException(FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR,
                             "Unable to parse {} JSON: {}".format(name, str(e)), None)


# ------------------------------------------------------------------------------------------------------------
# Errors and logging


def make_error(error_message, error_type, stack_trace, invoke_id=None):
    return {
        "errorMessage": error_message if error_message else "",
        "errorType": error_type if error_type else "",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def _user_traceback(tb):
    """Formatted stack frames of tb without the bootstrap's own leading frames (as AWS reports them)."""
    import traceback

    tb_tuples = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i in range(len(tb_tuples)):
        if tb_tuples[i][0] not in (_THIS_FILE, __file__):
            tb_tuples = tb_tuples[i:]
            break
    return traceback.format_list(tb_tuples)


def build_fault_result(exc_info, invoke_id=None):
    etype, value, tb = exc_info
    return make_error(str(value), etype.__name__, _user_traceback(tb), invoke_id)


def _replace_line_indentation(line, indent_char, new_indent_char):
    count = 0
    for c in line:
        if c != indent_char:
            break
        count += 1
    return (new_indent_char * count) + line[count:]


def log_error(error_result):
    """'[ERROR] Type: message\\rTraceback (most recent call last):\\r...' as one stdout line, like AWS."""
    description = "[ERROR]"
    error_type = error_result.get("errorType")
    if error_type:
        description += " " + error_type
    error_message = error_result.get("errorMessage")
    if error_message:
        if error_type:
            description += ":"
        description += " " + error_message
    lines = [description]
    stack_trace = error_result.get("stackTrace")
    if stack_trace is not None:
        lines.append("Traceback (most recent call last):")
        for element in stack_trace:
            if element == "":
                lines.append("")
            else:
                for trace_line in element.splitlines():
                    lines.append(_replace_line_indentation(trace_line, " ", ERROR_LOG_IDENT))
    sys.stdout.write(ERROR_LOG_LINE_TERMINATE.join(lines) + "\n")


_GLOBAL_AWS_REQUEST_ID = None
_GLOBAL_TENANT_ID = None


class LambdaLoggerFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _GLOBAL_AWS_REQUEST_ID or ""
        record.tenant_id = _GLOBAL_TENANT_ID
        return True


class LambdaLoggerHandler(logging.Handler):
    """Writes each record as one stdout line (inner newlines become '\\r', as the runtime does for errors)."""

    def emit(self, record):
        try:
            msg = self.format(record)
            if msg.endswith("\n"):
                msg = msg[:-1]
            sys.stdout.write(msg.replace("\n", "\r") + "\n")
        except Exception:
            self.handleError(record)


def setup_logging():
    logging.Formatter.converter = time.gmtime
    handler = LambdaLoggerHandler()
    handler.setFormatter(logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(LambdaLoggerFilter())
    root = logging.getLogger()
    level = {None: "", "TRACE": "DEBUG"}.get(os.environ.get("AWS_LAMBDA_LOG_LEVEL"),
                                             os.environ.get("AWS_LAMBDA_LOG_LEVEL")).upper()
    if level in logging._nameToLevel:
        root.setLevel(level)
    root.addHandler(handler)


class Unbuffered(object):
    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        pass

    def __getattr__(self, attr):
        return getattr(self.stream, attr)

    def write(self, msg):
        self.stream.write(msg)
        self.stream.flush()

    def writelines(self, msgs):
        self.stream.writelines(msgs)
        self.stream.flush()


def _flush_output():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


# ------------------------------------------------------------------------------------------------------------
# Loading the handler and serving invocations


def get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME, "Bad handler '{}': {}".format(handler, str(e)))

    import importlib

    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(FaultException.BUILT_IN_MODULE_CONFLICT,
                                 "Cannot use built-in module {} as a handler module".format(modname))
        m = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(FaultException.IMPORT_MODULE_ERROR,
                             "Unable to import module '{}': {}".format(modname, str(e)))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(FaultException.USER_CODE_SYNTAX_ERROR,
                             "Syntax error in module '{}': {}".format(modname, str(e)), trace)

    try:
        return getattr(m, fname)
    except AttributeError:
        raise FaultException(FaultException.HANDLER_NOT_FOUND,
                             "Handler '{}' missing on module '{}'".format(fname, modname), None)


def handle_event_request(client, request_handler, invoke_id, headers, event_body):
    error_result = None
    try:
        client_context = headers.get("lambda-runtime-client-context")
        cognito_identity = headers.get("lambda-runtime-cognito-identity")
        lambda_context = LambdaContext(
            invoke_id,
            parse_json_header(client_context, "Client Context") if client_context else None,
            parse_json_header(cognito_identity, "Cognito Identity") if cognito_identity else None,
            int(headers.get("lambda-runtime-deadline-ms") or 0),
            headers.get("lambda-runtime-invoked-function-arn"),
            headers.get("lambda-runtime-aws-tenant-id"),
        )
        event = unmarshal_request(event_body, headers.get("content-type"))
        response = request_handler(event, lambda_context)
        result, content_type = marshal_response(response)
    except FaultException as e:
        error_result = make_error(e.msg, e.exception_type, e.trace, invoke_id)
    except Exception:
        error_result = build_fault_result(sys.exc_info(), invoke_id)

    if error_result is not None:
        log_error(error_result)
        _flush_output()
        client.post_invocation_error(invoke_id, error_result)
    else:
        _flush_output()
        client.post_invocation_result(invoke_id, result, content_type)


def main():
    global _GLOBAL_AWS_REQUEST_ID, _GLOBAL_TENANT_ID

    if not getattr(sys.stdout, "write_through", False):  # started without -u
        sys.stdout = Unbuffered(sys.stdout)
        sys.stderr = Unbuffered(sys.stderr)

    # User code is imported from the task root, never from the bootstrap's own directory.
    here = os.path.dirname(_THIS_FILE)
    if sys.path and sys.path[0] in (here, ""):
        del sys.path[0]
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    if task_root not in sys.path:
        sys.path.insert(0, task_root)

    client = RuntimeClient(os.environ["AWS_LAMBDA_RUNTIME_API"])

    error_result = None
    try:
        setup_logging()
        request_handler = get_handler(os.environ.get("_HANDLER", ""))
    except FaultException as e:
        error_result = make_error(e.msg, e.exception_type, e.trace)
    except Exception:
        error_result = build_fault_result(sys.exc_info())

    if error_result is not None:
        logging.warning(LAMBDA_UNHANDLED_EXCEPTION_WARNING)
        log_error(error_result)
        _flush_output()
        client.post_init_error(error_result)
        sys.exit(1)

    environ = os.environ
    while True:
        headers, event_body = client.wait_next_invocation()
        invoke_id = headers.get("lambda-runtime-aws-request-id")
        _GLOBAL_AWS_REQUEST_ID = invoke_id
        _GLOBAL_TENANT_ID = headers.get("lambda-runtime-aws-tenant-id")
        trace_id = headers.get("lambda-runtime-trace-id")
        if trace_id is not None:
            environ["_X_AMZN_TRACE_ID"] = trace_id
        elif "_X_AMZN_TRACE_ID" in environ:
            del environ["_X_AMZN_TRACE_ID"]
        handle_event_request(client, request_handler, invoke_id, headers, event_body)


if __name__ == "__main__":
    main()
