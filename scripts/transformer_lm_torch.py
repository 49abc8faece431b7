#!/usr/bin/python3
"""The PyTorch 1.13 twin of Nabla's transformer-lm (dev.nabla.models.transformer.TransformerLm), shared by
scripts/compare-transformer-lm (training + evaluation) and scripts/bench-transformer-vs-torch (step time).

The model: token embedding nn.Embedding(V, d) and learned positions nn.Embedding(context, d) (both N(0, 1), as
Nabla's Embedding and LearnedPositions), `layers` nn.TransformerEncoderLayer(d, heads, ff, dropout, relu,
batch_first=True, norm_first=pre) each initialised on its own (nn.TransformerEncoder deep-copies one layer, so
the layers are replaced by fresh ones, as Nabla initialises them), a final nn.LayerNorm for pre-LN, and a
head nn.Linear(d, V); a causal mask (bool, True = may not attend).
"""
import torch
import torch.nn as nn


class TransformerLm(nn.Module):
    def __init__(self, vocab, d=128, heads=4, ff=512, layers=2, context=64, dropout=0.0, pre=True):
        super().__init__()
        self.context = context
        self.embedding = nn.Embedding(vocab, d)
        self.positions = nn.Embedding(context, d)
        layer = lambda: nn.TransformerEncoderLayer(d, heads, ff, dropout, batch_first=True, norm_first=pre)
        self.encoder = nn.TransformerEncoder(layer(), layers, norm=nn.LayerNorm(d) if pre else None,
                                             enable_nested_tensor=False)
        self.encoder.layers = nn.ModuleList([layer() for _ in range(layers)])
        self.head = nn.Linear(d, vocab)
        self.register_buffer("causal", torch.triu(torch.ones(context, context, dtype=torch.bool), 1), persistent=False)

    def forward(self, x):
        t = x.shape[1]
        h = self.embedding(x) + self.positions.weight[:t]
        h = self.encoder(h, mask=self.causal[:t, :t])
        return self.head(h)
