# expect: wrong_answer
# Mistake: changes the attribute fc.out_features instead of replacing the layer: the weight
# matrix is still 1000 x 512, so the model still outputs 1000 scores.
def adapt_for_classes(model, num_classes):
    for p in model.parameters():
        p.requires_grad = False
    model.fc.out_features = num_classes
    model.fc.weight.requires_grad = True
    model.fc.bias.requires_grad = True
    return model
