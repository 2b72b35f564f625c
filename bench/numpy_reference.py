"""A plain NumPy MLP, vectorised per mini-batch: the baseline the engine is measured against.

Same maths as the engine's sgd + mse + tanh path (TensorFlow Playground's update rule
with mini-batch means), written the way one would in NumPy without a compiler.
"""

from __future__ import annotations

import numpy as np


def train_numpy(weights, biases, X, Y, epochs: int, batch_size: int, learning_rate: float):
    """Mini-batch SGD on ½‖ŷ − y‖² with tanh everywhere; updates the lists in place."""
    n = X.shape[0]
    for _ in range(epochs):
        for start in range(0, n, batch_size):
            batch_x = X[start : start + batch_size]
            batch_y = Y[start : start + batch_size]
            activations = [batch_x]
            for w, b in zip(weights, biases):
                activations.append(np.tanh(activations[-1] @ w + b))
            delta = (activations[-1] - batch_y) * (1 - activations[-1] ** 2) / batch_x.shape[0]
            for layer in range(len(weights) - 1, -1, -1):
                grad_w = activations[layer].T @ delta
                grad_b = delta.sum(axis=0)
                if layer > 0:
                    delta = (delta @ weights[layer].T) * (1 - activations[layer] ** 2)
                weights[layer] -= learning_rate * grad_w
                biases[layer] -= learning_rate * grad_b


def all_layers_numpy(weights, biases, inputs, activation=np.tanh):
    """Every layer's output for every row (what the neuron heat maps need)."""
    outputs = [inputs]
    for w, b in zip(weights, biases):
        outputs.append(activation(outputs[-1] @ w + b))
    return outputs
