-- Neovim's own LSP client (0.7: vim.lsp.start_client) driven against `dockmig lsp`, for
-- test/e2e/lsp-neovim.test.ts. It does what a user does (open files, ask for code actions, apply
-- them, write) and records what it saw in a JSON file the test judges; it asserts nothing itself.
-- Environment: DOCKMIG_CMD (the server command, JSON list), DOCKMIG_DIR (the copies),
-- DOCKMIG_OUT (the JSON written).
local out = { steps = {} }
local timeout = 30000

local function note(step)
  table.insert(out.steps, step)
end

local client_id = vim.lsp.start_client({
  name = 'dockmig',
  cmd = vim.fn.json_decode(vim.env.DOCKMIG_CMD),
  root_dir = vim.env.DOCKMIG_DIR,
  on_exit = function(code, signal)
    out.exit = { code = code, signal = signal }
  end,
})

local function open(path)
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.DOCKMIG_DIR .. '/' .. path))
  local buf = vim.api.nvim_get_current_buf()
  assert(vim.lsp.buf_attach_client(buf, client_id), 'the client did not attach to ' .. path)
  return buf
end

local function simplify(diagnostics)
  local list = {}
  for _, d in ipairs(diagnostics) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(list, {
      code = d.code or vim.NIL,
      lnum = d.lnum,
      end_lnum = d.end_lnum,
      col = d.col,
      end_col = d.end_col,
      severity = d.severity,
      source = d.source,
      message = d.message,
      href = lsp.codeDescription and lsp.codeDescription.href or vim.NIL,
    })
  end
  table.sort(list, function(a, b)
    if a.lnum ~= b.lnum then
      return a.lnum < b.lnum
    end
    return tostring(a.code) < tostring(b.code)
  end)
  return list
end

-- The diagnostics of a buffer once `ready` holds for them (they arrive asynchronously).
local function diagnostics(buf, ready)
  local ok = vim.wait(timeout, function()
    return ready(vim.diagnostic.get(buf))
  end, 20)
  assert(ok, 'no diagnostics came for buffer ' .. buf)
  return simplify(vim.diagnostic.get(buf))
end

local function any(list)
  return #list > 0
end

local function code_actions(buf, range, only)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = range,
    context = { diagnostics = {}, only = only },
  }
  local responses, err = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, timeout)
  assert(responses, 'textDocument/codeAction got no answer: ' .. tostring(err))
  local response = responses[client_id]
  assert(response and not response.error, 'textDocument/codeAction failed: ' .. vim.inspect(response))
  return response.result or {}
end

local function titles(actions)
  local list = {}
  for _, a in ipairs(actions) do
    table.insert(list, { title = a.title, kind = a.kind })
  end
  return list
end

local function run()
  -- A file the core refuses: one diagnostic, and the server goes on serving the others.
  local broken = open('broken/Dockerfile')
  note({ name = 'broken', diagnostics = diagnostics(broken, any) })

  -- The whole migration through source.fixAll.dockmig, written to disk.
  local all = open('fixall/Dockerfile')
  local before = diagnostics(all, any)
  local lines = vim.api.nvim_buf_line_count(all)
  local actions = code_actions(all, {
    start = { line = 0, character = 0 },
    ['end'] = { line = lines, character = 0 },
  }, { 'source.fixAll.dockmig' })
  note({ name = 'fixall', diagnostics = before, actions = titles(actions) })
  for _, a in ipairs(actions) do
    if a.kind == 'source.fixAll.dockmig' then
      vim.lsp.util.apply_workspace_edit(a.edit, 'utf-16')
    end
  end
  vim.cmd('wall')

  -- One quick-fix, on the FROM line, with no other fix coming along.
  local quick = open('quick/Dockerfile')
  local found = diagnostics(quick, any)
  local pin
  for _, d in ipairs(found) do
    if d.code == 'pin-python-base' then
      pin = d
    end
  end
  assert(pin, 'no pin-python-base diagnostic')
  -- Where the cursor is in the diagnostic: what a user's code-action request sends.
  local actions_at = code_actions(quick, {
    start = { line = pin.lnum, character = pin.col },
    ['end'] = { line = pin.lnum, character = pin.col },
  }, { 'quickfix' })
  local applied = vim.NIL
  for _, a in ipairs(actions_at) do
    if a.title:find('pin-python-base', 1, true) then
      applied = a.title
      vim.lsp.util.apply_workspace_edit(a.edit, 'utf-16')
    end
  end
  vim.cmd('write')
  -- The edit is a change like a keystroke: the server migrates the buffer again.
  local after = diagnostics(quick, function(list)
    for _, d in ipairs(list) do
      if d.code == 'pin-python-base' then
        return false
      end
    end
    return #list > 0
  end)
  note({
    name = 'quickfix',
    diagnostics = found,
    actions = titles(actions_at),
    applied = applied,
    after = after,
  })

  local client = vim.lsp.get_client_by_id(client_id)
  out.serving = client ~= nil and not client.is_stopped()
  vim.lsp.stop_client(client_id)
  vim.wait(timeout, function()
    return out.exit ~= nil
  end, 20)
end

local ok, err = pcall(run)
if not ok then
  out.error = tostring(err)
end
vim.fn.writefile({ vim.fn.json_encode(out) }, vim.env.DOCKMIG_OUT)
vim.cmd('qa!')
