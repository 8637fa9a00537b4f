-- A second, independent LSP client: Neovim's built-in one, headless.
-- Usage: nvim --headless --clean -u NONE -l? (0.7 has no -l) -> see run.sh
-- Starts notes-lsp, opens the example talk notes, asks for document symbols and diagnostics of a broken
-- note, and writes what it saw to $NOTES_NVIM_OUT. Exits non-zero on any failure.
local server = os.getenv("NOTES_SERVER_DLL")
local workspace = os.getenv("NOTES_WORKSPACE")
local out = os.getenv("NOTES_NVIM_OUT")

local function fail(message)
  io.stderr:write("neovim client: " .. message .. "\n")
  vim.cmd("cquit 1")
end

local client_id = vim.lsp.start_client({
  name = "notes-lsp",
  cmd = { "dotnet", server },
  root_dir = workspace,
  workspace_folders = { { uri = vim.uri_from_fname(workspace), name = "notes" } },
})
if not client_id then fail("could not start the server") end

vim.cmd("edit " .. workspace .. "/icml2024-talk-notes.md")
local buffer = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buffer, client_id)

local ok = vim.wait(15000, function()
  local client = vim.lsp.get_client_by_id(client_id)
  return client ~= nil and client.initialized
end, 50)
if not ok then fail("the server did not initialize") end

local params = { textDocument = vim.lsp.util.make_text_document_params(buffer) }
local responses = vim.lsp.buf_request_sync(buffer, "textDocument/documentSymbol", params, 15000)
if not responses or not responses[client_id] or not responses[client_id].result then
  fail("no documentSymbol answer: " .. vim.inspect(responses))
end

local lines = {}
local function walk(symbols, depth)
  for _, symbol in ipairs(symbols) do
    local r = symbol.range
    table.insert(lines, string.rep("  ", depth) .. symbol.name .. string.format(" %d:%d-%d:%d", r.start.line, r.start.character, r["end"].line, r["end"].character))
    walk(symbol.children or {}, depth + 1)
  end
end
walk(responses[client_id].result, 0)

-- A broken front matter in a new buffer: the server must publish a diagnostic for it.
vim.cmd("edit " .. workspace .. "/broken.md")
local broken = vim.api.nvim_get_current_buf()
vim.api.nvim_buf_set_lines(broken, 0, -1, false, { "---", "title: BERT: Pre-training", "---", "# Body" })
vim.lsp.buf_attach_client(broken, client_id)
local got = vim.wait(15000, function() return #vim.diagnostic.get(broken) > 0 end, 50)
if not got then fail("no diagnostics for the broken note") end
local d = vim.diagnostic.get(broken)[1]
table.insert(lines, string.format("diagnostic %d:%d %s", d.lnum, d.col, d.message))

-- Completion, hover and rename, the same checks the VS Code end-to-end test makes.
local function request(buf, method, params)
  local responses = vim.lsp.buf_request_sync(buf, method, params, 15000)
  local answer = responses and responses[client_id]
  if not answer or answer.err then fail(method .. " failed: " .. vim.inspect(responses)) end
  return answer.result
end

vim.cmd("edit " .. workspace .. "/nvim-features.md")
local features = vim.api.nvim_get_current_buf()
vim.api.nvim_buf_set_lines(features, 0, -1, false, {
  "---", "title: Neovim features", "tags: [reading-list, ]", "---", "",
  "See [the paper](https://openreview.net/forum?id=1QmFKwVwwI).",
})
vim.lsp.buf_attach_client(features, client_id)
vim.wait(500)
local uri = vim.uri_from_bufnr(features)

-- A tag after `[reading-list, `: line 2, character 21 (UTF-16).
local completion = request(features, "textDocument/completion", { textDocument = { uri = uri }, position = { line = 2, character = 21 } })
local labels = {}
for _, item in ipairs(completion.items or completion) do table.insert(labels, item.label) end
table.sort(labels)
table.insert(lines, "completion " .. table.concat(labels, ","))

local hover = request(features, "textDocument/hover", { textDocument = { uri = uri }, position = { line = 5, character = 50 } })
local hover_text = type(hover.contents) == "table" and (hover.contents.value or vim.inspect(hover.contents)) or tostring(hover.contents)
table.insert(lines, "hover " .. (hover_text:match("Privacy Preserving Adaptive Experiment Design") or ("missing: " .. hover_text)))

local prepared = request(features, "textDocument/prepareRename", { textDocument = { uri = uri }, position = { line = 2, character = 9 } })
table.insert(lines, string.format("prepareRename %d:%d-%d:%d", prepared.range.start.line, prepared.range.start.character, prepared.range["end"].line, prepared.range["end"].character))
local edit = request(features, "textDocument/rename", { textDocument = { uri = uri }, position = { line = 2, character = 9 }, newName = "to-read" })
vim.lsp.util.apply_workspace_edit(edit, "utf-16")
table.insert(lines, "renamed " .. vim.api.nvim_buf_get_lines(features, 2, 3, false)[1])

local file = io.open(out, "w")
file:write(table.concat(lines, "\n") .. "\n")
file:close()
vim.lsp.stop_client(client_id)
vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
vim.cmd("qall!")
