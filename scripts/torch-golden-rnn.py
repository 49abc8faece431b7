#!/usr/bin/python3
"""Golden vectors for Nabla's recurrent layers and cells, written by PyTorch in float64.

Run with Debian's PyTorch (1.13) under /usr/bin/python3, from the repository root:

    /usr/bin/python3 scripts/torch-golden-rnn.py

For every case it builds a PyTorch nn.RNN (tanh, relu), nn.LSTM, nn.GRU, nn.LSTMCell or nn.GRUCell with
a fixed seed, runs it on a fixed input, and evaluates the scalar loss

    loss = sum(out * R) + sum(h_n * S) (+ sum(c_n * U))

with fixed random R, S, U. One safetensors file per case (written by hand: an 8-byte little-endian
header length, a JSON header, the raw little-endian data) holds

    the state dict under PyTorch's own keys (weight_ih_l0, ..., weight_hh_l1_reverse),
    input, lengths (int64, variable-length cases only), h0 / c0 (cases with initial states),
    output, h_n, c_n, R, S, U,
    grad.<parameter> for every parameter, grad.input, grad.h0, grad.c0,

and the case's settings in __metadata__. The files go to
models/src/test/resources/dev/nabla/models/nn/torch/ and are checked in; RecurrentGoldenTest reads them.
"""
import json
import os
import struct

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models", "src", "test", "resources",
                   "dev", "nabla", "models", "nn", "torch")

INPUT, HIDDEN, BATCH, STEPS = 3, 2, 3, 4
LENGTHS = [4, 1, 3]          # unsorted, with a length of 1 and a full one


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": {k: str(v) for k, v in metadata.items()}}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        if t.dtype == torch.float64:
            dtype, fmt = "F64", "<d"
        elif t.dtype == torch.int64:
            dtype, fmt = "I64", "<q"
        else:
            raise ValueError(name + ": unsupported dtype " + str(t.dtype))
        values = t.reshape(-1).tolist()
        blob = b"".join(struct.pack(fmt, v) for v in values)
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def layer_case(name, mode, seed, num_layers=1, bidirectional=False, batch_first=False, initial=False,
               lengths=None, bias=True):
    torch.manual_seed(seed)
    kwargs = dict(num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first, bias=bias)
    if mode in ("rnn_tanh", "rnn_relu"):
        net = torch.nn.RNN(INPUT, HIDDEN, nonlinearity=mode[4:], **kwargs)
    elif mode == "lstm":
        net = torch.nn.LSTM(INPUT, HIDDEN, **kwargs)
    else:
        net = torch.nn.GRU(INPUT, HIDDEN, **kwargs)
    net = net.double()
    d = 2 if bidirectional else 1
    shape = (BATCH, STEPS, INPUT) if batch_first else (STEPS, BATCH, INPUT)
    x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    state_shape = (num_layers * d, BATCH, HIDDEN)
    h0 = torch.randn(*state_shape, dtype=torch.float64, requires_grad=True) if initial else None
    c0 = torch.randn(*state_shape, dtype=torch.float64, requires_grad=True) if initial and mode == "lstm" else None
    hx = None if not initial else ((h0, c0) if mode == "lstm" else h0)
    if lengths is not None:
        packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=False)
        out_p, hn = net(packed, hx)
        out, _ = pad_packed_sequence(out_p, batch_first=batch_first, total_length=STEPS)
    else:
        out, hn = net(x, hx)
    h_n, c_n = hn if mode == "lstm" else (hn, None)
    R = torch.randn(*out.shape, dtype=torch.float64)
    S = torch.randn(*h_n.shape, dtype=torch.float64)
    loss = (out * R).sum() + (h_n * S).sum()
    U = None
    if c_n is not None:
        U = torch.randn(*c_n.shape, dtype=torch.float64)
        loss = loss + (c_n * U).sum()
    loss.backward()
    t = {}
    for k, v in net.state_dict().items():
        t[k] = v
    t["input"] = x
    if lengths is not None:
        t["lengths"] = torch.tensor(lengths, dtype=torch.int64)
    if h0 is not None:
        t["h0"] = h0
    if c0 is not None:
        t["c0"] = c0
    t["output"] = out
    t["h_n"] = h_n
    t["R"] = R
    t["S"] = S
    if c_n is not None:
        t["c_n"] = c_n
        t["U"] = U
    t["loss"] = loss.reshape(1)
    for k, p in net.named_parameters():
        t["grad." + k] = p.grad
    t["grad.input"] = x.grad
    if h0 is not None:
        t["grad.h0"] = h0.grad
    if c0 is not None:
        t["grad.c0"] = c0.grad
    meta = dict(kind="layer", mode=mode, input_size=INPUT, hidden_size=HIDDEN, num_layers=num_layers,
                bidirectional=str(bidirectional).lower(), batch_first=str(batch_first).lower(),
                bias=str(bias).lower(), torch=torch.__version__)
    write_safetensors(os.path.join(OUT, name + ".safetensors"), t, meta)


def cell_case(name, mode, seed):
    torch.manual_seed(seed)
    cell = (torch.nn.LSTMCell(INPUT, HIDDEN) if mode == "lstm" else torch.nn.GRUCell(INPUT, HIDDEN)).double()
    x = torch.randn(BATCH, INPUT, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(BATCH, HIDDEN, dtype=torch.float64, requires_grad=True)
    c0 = torch.randn(BATCH, HIDDEN, dtype=torch.float64, requires_grad=True) if mode == "lstm" else None
    if mode == "lstm":
        h1, c1 = cell(x, (h0, c0))
    else:
        h1, c1 = cell(x, h0), None
    S = torch.randn(*h1.shape, dtype=torch.float64)
    loss = (h1 * S).sum()
    t = dict(cell.state_dict())
    t["input"] = x
    t["h0"] = h0
    t["h_n"] = h1
    t["S"] = S
    if c1 is not None:
        U = torch.randn(*c1.shape, dtype=torch.float64)
        loss = loss + (c1 * U).sum()
        t["c0"] = c0
        t["c_n"] = c1
        t["U"] = U
    loss.backward()
    for k, p in cell.named_parameters():
        t["grad." + k] = p.grad
    t["grad.input"] = x.grad
    t["grad.h0"] = h0.grad
    if c0 is not None:
        t["grad.c0"] = c0.grad
    meta = dict(kind="cell", mode=mode, input_size=INPUT, hidden_size=HIDDEN, torch=torch.__version__)
    write_safetensors(os.path.join(OUT, name + ".safetensors"), t, meta)


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    seed = 100
    for mode in ("rnn_tanh", "rnn_relu", "lstm", "gru"):
        cases = [
            ("l1", dict()),
            ("l1_nobias_init", dict(initial=True, bias=False)),
            ("l2_bf_init", dict(num_layers=2, batch_first=True, initial=True)),
            ("bi_init", dict(bidirectional=True, initial=True)),
            ("l2bi_bf", dict(num_layers=2, bidirectional=True, batch_first=True)),
            ("var_bf_init", dict(batch_first=True, initial=True, lengths=LENGTHS)),
            ("var_bi", dict(bidirectional=True, lengths=LENGTHS)),
            ("var_l2bi_bf_init", dict(num_layers=2, bidirectional=True, batch_first=True, initial=True,
                                      lengths=LENGTHS)),
        ]
        for suffix, kw in cases:
            seed += 1
            layer_case(mode + "_" + suffix, mode, seed, **kw)
    cell_case("lstm_cell", "lstm", 7)
    cell_case("gru_cell", "gru", 8)
    names = sorted(n for n in os.listdir(OUT) if n.endswith(".safetensors"))
    print("wrote", len(names), "files,", sum(os.path.getsize(os.path.join(OUT, n)) for n in names), "bytes, to",
          os.path.normpath(OUT))


if __name__ == "__main__":
    main()
