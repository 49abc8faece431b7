#!/usr/bin/python3
"""Golden vectors for Nabla's multi-head attention and Transformer layers, written by PyTorch in float64.

Run with Debian's PyTorch (1.13) under /usr/bin/python3, from the repository root:

    /usr/bin/python3 scripts/torch-golden-attention.py

For every case it builds a PyTorch nn.MultiheadAttention, nn.TransformerEncoderLayer,
nn.TransformerDecoderLayer, nn.TransformerEncoder or nn.TransformerDecoder (tiny: E = 8, 2 heads,
T = 5; dropout 0; fixed seeds; training mode, so PyTorch's inference fast path is not taken), runs it
on fixed inputs and masks, and evaluates the scalar loss

    loss = sum(out * R) (+ sum(attn_weights * W) for attention returning its weights)

with fixed random R, W. One safetensors file per case (written by hand: an 8-byte little-endian header
length, a JSON header, the raw little-endian data) holds

    the state dict under PyTorch's own keys (self_attn.in_proj_weight, layers.1.linear2.bias, ...),
    the inputs (query/key/value, or src, or tgt/memory), the masks (bool as BOOL, float as F64),
    output, weights, R, W, loss,
    grad.<parameter> for every parameter and grad.<input> for every input,

and the case's settings in __metadata__. The files go to
models/src/test/resources/dev/nabla/models/nn/torch/attention/ and are checked in; AttentionGoldenTest
reads them.
"""
import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models", "src", "test", "resources",
                   "dev", "nabla", "models", "nn", "torch", "attention")

E, HEADS, T, B, FF = 8, 2, 5, 3, 16


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
        elif t.dtype == torch.bool:
            dtype, fmt = "BOOL", "<?"
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


def randn(*shape):
    return torch.randn(*shape, dtype=torch.float64)


def leaf(*shape):
    return randn(*shape).requires_grad_(True)


def causal(n):
    return torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)


def padding(lengths, n):
    # true = padding (PyTorch's key_padding_mask convention)
    return torch.arange(n).unsqueeze(0) >= torch.tensor(lengths).unsqueeze(1)


def finish(name, net, inputs, masks, out, weights, meta):
    R = randn(*out.shape)
    loss = (out * R).sum()
    W = None
    if weights is not None:
        W = randn(*weights.shape)
        loss = loss + (weights * W).sum()
    loss.backward()
    t = {}
    for k, v in net.state_dict().items():
        t[k] = v
    for k, v in inputs.items():
        t[k] = v
    for k, v in masks.items():
        if v is not None:
            t[k] = v
    t["output"] = out
    t["R"] = R
    if weights is not None:
        t["weights"] = weights
        t["W"] = W
    t["loss"] = loss.reshape(1)
    for k, p in net.named_parameters():
        t["grad." + k] = p.grad
    for k, v in inputs.items():
        t["grad." + k] = v.grad
    meta = dict(meta)
    meta["torch"] = torch.__version__
    write_safetensors(os.path.join(OUT, name + ".safetensors"), t, meta)


def mha_case(name, seed, batch_first, tq, tk, self_attention, kpm=None, attn_mask=None, average=True,
             distinct_value=False):
    torch.manual_seed(seed)
    net = torch.nn.MultiheadAttention(E, HEADS, batch_first=batch_first).double()
    # non-zero biases, so their gradients and the bias paths are exercised
    with torch.no_grad():
        net.in_proj_bias.copy_(0.1 * randn(3 * E))
        net.out_proj.bias.copy_(0.1 * randn(E))
    shape_q = (B, tq, E) if batch_first else (tq, B, E)
    shape_k = (B, tk, E) if batch_first else (tk, B, E)
    q = leaf(*shape_q)
    if self_attention:
        inputs = {"query": q}
        out, w = net(q, q, q, key_padding_mask=kpm, attn_mask=attn_mask, need_weights=True,
                     average_attn_weights=average)
    else:
        k = leaf(*shape_k)
        v = leaf(*shape_k) if distinct_value else k
        inputs = {"query": q, "key": k}
        if distinct_value:
            inputs["value"] = v
        out, w = net(q, k, v, key_padding_mask=kpm, attn_mask=attn_mask, need_weights=True,
                     average_attn_weights=average)
    meta = dict(kind="mha", embed_dim=E, num_heads=HEADS, batch_first=str(batch_first).lower(),
                average=str(average).lower(), self_attention=str(self_attention).lower())
    finish(name, net, inputs, {"key_padding_mask": kpm, "attn_mask": attn_mask}, out, w, meta)


def layer_meta(kind, batch_first, norm_first, activation, layers=1, final_norm=False):
    return dict(kind=kind, d_model=E, nhead=HEADS, dim_feedforward=FF, layer_norm_eps=1e-5,
                batch_first=str(batch_first).lower(), norm_first=str(norm_first).lower(), activation=activation,
                num_layers=layers, final_norm=str(final_norm).lower())


def randomize_norms(net):
    # LayerNorm starts at (1, 0): move it so a swapped weight/bias would show
    with torch.no_grad():
        for k, p in net.named_parameters():
            if ".norm" in "." + k or k.startswith("norm"):
                p.add_(0.1 * randn(*p.shape))


def encoder_case(name, seed, batch_first, norm_first, activation, src_mask=None, kpm=None, layers=1,
                 final_norm=False):
    torch.manual_seed(seed)
    layer = torch.nn.TransformerEncoderLayer(E, HEADS, dim_feedforward=FF, dropout=0.0, activation=activation,
                                             batch_first=batch_first, norm_first=norm_first)
    if layers == 1:
        net = layer.double()
    else:
        norm = torch.nn.LayerNorm(E) if final_norm else None
        net = torch.nn.TransformerEncoder(layer, layers, norm=norm, enable_nested_tensor=False).double()
        with torch.no_grad():   # make the copied layers differ
            for p in net.parameters():
                p.add_(0.05 * randn(*p.shape))
    randomize_norms(net)
    net.train()
    src = leaf(*((B, T, E) if batch_first else (T, B, E)))
    if layers == 1:
        out = net(src, src_mask=src_mask, src_key_padding_mask=kpm)
    else:
        out = net(src, mask=src_mask, src_key_padding_mask=kpm)
    meta = layer_meta("encoder" if layers > 1 else "encoder_layer", batch_first, norm_first, activation, layers,
                      final_norm)
    finish(name, net, {"src": src}, {"src_mask": src_mask, "src_key_padding_mask": kpm}, out, None, meta)


def decoder_case(name, seed, batch_first, norm_first, activation, s, tgt_mask=None, memory_mask=None,
                 tgt_kpm=None, memory_kpm=None, layers=1, final_norm=False):
    torch.manual_seed(seed)
    layer = torch.nn.TransformerDecoderLayer(E, HEADS, dim_feedforward=FF, dropout=0.0, activation=activation,
                                             batch_first=batch_first, norm_first=norm_first)
    if layers == 1:
        net = layer.double()
    else:
        norm = torch.nn.LayerNorm(E) if final_norm else None
        net = torch.nn.TransformerDecoder(layer, layers, norm=norm).double()
        with torch.no_grad():
            for p in net.parameters():
                p.add_(0.05 * randn(*p.shape))
    randomize_norms(net)
    net.train()
    tgt = leaf(*((B, T, E) if batch_first else (T, B, E)))
    memory = leaf(*((B, s, E) if batch_first else (s, B, E)))
    out = net(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask, tgt_key_padding_mask=tgt_kpm,
              memory_key_padding_mask=memory_kpm)
    meta = layer_meta("decoder" if layers > 1 else "decoder_layer", batch_first, norm_first, activation, layers,
                      final_norm)
    finish(name, net, {"tgt": tgt, "memory": memory},
           {"tgt_mask": tgt_mask, "memory_mask": memory_mask, "tgt_key_padding_mask": tgt_kpm,
            "memory_key_padding_mask": memory_kpm}, out, None, meta)


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".safetensors"):
            os.remove(os.path.join(OUT, f))
    # multi-head attention
    mha_case("mha_causal", 1, False, T, T, True, attn_mask=causal(T))
    mha_case("mha_padding_bf", 2, True, T, T, True, kpm=padding([5, 2, 4], T))
    mha_case("mha_cross_heads", 3, False, 4, 6, False, kpm=padding([6, 3, 5], 6), average=False)
    torch.manual_seed(40)
    additive = 0.5 * randn(4, 6)
    mha_case("mha_cross_value_additive_bf", 4, True, 4, 6, False, attn_mask=additive, distinct_value=True)
    torch.manual_seed(41)
    per_head = torch.rand(B * HEADS, T, T) < 0.3
    per_head[:, :, 0] = False     # every query keeps one key
    mha_case("mha_per_head_mask", 5, False, T, T, True, attn_mask=per_head, kpm=padding([5, 4, 3], T))
    # encoder layers
    encoder_case("encoder_post_relu", 11, False, False, "relu", src_mask=causal(T))
    encoder_case("encoder_pre_relu_bf", 12, True, True, "relu", kpm=padding([5, 3, 4], T))
    encoder_case("encoder_post_gelu_bf", 13, True, False, "gelu", kpm=padding([4, 5, 2], T))
    encoder_case("encoder_pre_gelu", 14, False, True, "gelu", src_mask=causal(T))
    encoder_case("encoder_stack_pre_norm", 15, True, True, "relu", src_mask=causal(T), layers=2, final_norm=True)
    # decoder layers: causal target mask, padded memory
    decoder_case("decoder_post_relu", 21, False, False, "relu", 6, tgt_mask=causal(T),
                 memory_kpm=padding([6, 4, 2], 6))
    decoder_case("decoder_pre_relu_bf", 22, True, True, "relu", 6, tgt_mask=causal(T),
                 memory_kpm=padding([3, 6, 5], 6))
    decoder_case("decoder_post_gelu_bf", 23, True, False, "gelu", 4, tgt_mask=causal(T),
                 tgt_kpm=padding([5, 5, 4], T), memory_kpm=padding([4, 2, 3], 4))
    decoder_case("decoder_pre_gelu", 24, False, True, "gelu", 6, tgt_mask=causal(T),
                 memory_kpm=padding([6, 5, 1], 6))
    decoder_case("decoder_stack_post", 25, False, False, "relu", 6, tgt_mask=causal(T),
                 memory_kpm=padding([6, 4, 5], 6), layers=2, final_norm=True)


if __name__ == "__main__":
    main()
