using System.Text.Json;
using NotesLsp.Server.Protocol;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace NotesLsp.Server.Transport;

/// <summary>
/// StreamJsonRpc with LSP's error conventions: parameters that do not deserialize are InvalidParams (-32602)
/// rather than a generic invocation error, and no error carries a .NET stack trace to the client.
/// </summary>
public sealed class LspJsonRpc(IJsonRpcMessageHandler handler) : JsonRpc(handler)
{
    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var inner = exception is System.Reflection.TargetInvocationException { InnerException: { } e } ? e : exception;
        return inner switch
        {
            LocalRpcException local => new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)local.ErrorCode, Message = local.Message },
            JsonException json => new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)ErrorCodes.InvalidParams, Message = $"invalid params: {json.Message}" },
            OperationCanceledException => new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)ErrorCodes.RequestCancelled, Message = "request cancelled" },
            _ => new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)ErrorCodes.InternalError, Message = $"internal error: {inner.GetType().Name}: {inner.Message}" },
        };
    }
}
