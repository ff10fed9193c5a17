# ruff: noqa  (the guide's code, kept as TF's docs write it)
"""TF guide "Training checkpoints" (site/en/guide/checkpoint.ipynb): its code cells, each printing
what the notebook shows. Left out: Keras save_weights (cell 4: Keras 3 wants a .weights.h5 file), the
resumed training run (cell 10: under Keras 3 TF 2.21 does not restore the model there, its losses
start over) and the ListWrapper cell (20). Adapted: Dense(5) starts from ones instead of random
values (random streams differ by design); values after 50 Adam steps are rounded to 4 decimals
(float32 round-off); cell 14 does not print the status object's repr; cell 17 reads Keras 3's key
net/l1/_kernel (the guide, written for Keras 2, names net/l1/kernel)."""
# cell 1
print('--- cell 1')
import tensorflow as tf

# cell 2
print('--- cell 2')
class Net(tf.keras.Model):
  """A simple linear model."""

  def __init__(self):
    super(Net, self).__init__()
    self.l1 = tf.keras.layers.Dense(5, kernel_initializer="ones")  # the guide: Dense(5), random

  def call(self, x):
    return self.l1(x)

# cell 3
print('--- cell 3')
net = Net()

# cell 5
print('--- cell 5')
def toy_dataset():
  inputs = tf.range(10.)[:, None]
  labels = inputs * 5. + tf.range(5.)[None, :]
  return tf.data.Dataset.from_tensor_slices(
    dict(x=inputs, y=labels)).repeat().batch(2)

# cell 6
print('--- cell 6')
def train_step(net, example, optimizer):
  """Trains `net` on `example` using `optimizer`."""
  with tf.GradientTape() as tape:
    output = net(example['x'])
    loss = tf.reduce_mean(tf.abs(output - example['y']))
  variables = net.trainable_variables
  gradients = tape.gradient(loss, variables)
  optimizer.apply_gradients(zip(gradients, variables))
  return loss

# cell 7
print('--- cell 7')
opt = tf.keras.optimizers.Adam(0.1)
dataset = toy_dataset()
iterator = iter(dataset)
ckpt = tf.train.Checkpoint(step=tf.Variable(1), optimizer=opt, net=net, iterator=iterator)
manager = tf.train.CheckpointManager(ckpt, './tf_ckpts', max_to_keep=3)

# cell 8
print('--- cell 8')
def train_and_checkpoint(net, manager):
  ckpt.restore(manager.latest_checkpoint)
  if manager.latest_checkpoint:
    print("Restored from {}".format(manager.latest_checkpoint))
  else:
    print("Initializing from scratch.")

  for _ in range(50):
    example = next(iterator)
    loss = train_step(net, example, opt)
    ckpt.step.assign_add(1)
    if int(ckpt.step) % 10 == 0:
      save_path = manager.save()
      print("Saved checkpoint for step {}: {}".format(int(ckpt.step), save_path))
      print("loss {:1.2f}".format(loss.numpy()))

# cell 9
print('--- cell 9')
_ = (train_and_checkpoint(net, manager))
if _ is not None:
    print(repr(_))

# cell 11
print('--- cell 11')
print(manager.checkpoints)  # List the three remaining checkpoints

# cell 13
print('--- cell 13')
to_restore = tf.Variable(tf.zeros([5]))
print(to_restore.numpy())  # All zeros
fake_layer = tf.train.Checkpoint(bias=to_restore)
fake_net = tf.train.Checkpoint(l1=fake_layer)
new_root = tf.train.Checkpoint(net=fake_net)
status = new_root.restore(tf.train.latest_checkpoint('./tf_ckpts/'))
print(to_restore.numpy().round(4))  # This gets the restored value.  (rounded: 50 Adam steps' round-off)

# cell 14
print('--- cell 14')
_ = status.assert_existing_objects_matched()  # the notebook shows the status object's repr

# cell 15
print('--- cell 15')
deferred_restore = tf.Variable(tf.zeros([1, 5]))
print(deferred_restore.numpy())  # Not restored; still zeros
fake_layer.kernel = deferred_restore
print(deferred_restore.numpy())  # Restored

# cell 16
print('--- cell 16')
reader = tf.train.load_checkpoint('./tf_ckpts/')
shape_from_key = reader.get_variable_to_shape_map()
dtype_from_key = reader.get_variable_to_dtype_map()

_ = (sorted(shape_from_key.keys()))
if _ is not None:
    print(repr(_))

# cell 17
print('--- cell 17')
key = 'net/l1/_kernel/.ATTRIBUTES/VARIABLE_VALUE'  # Keras 3's key (the guide: net/l1/kernel)

print("Shape:", shape_from_key[key])
print("Dtype:", dtype_from_key[key].name)

# cell 18
print('--- cell 18')
_ = (reader.get_tensor(key))
if _ is not None:
    print(repr(_.round(4)))  # rounded: 50 Adam steps' round-off

# cell 19
print('--- cell 19')
save = tf.train.Checkpoint()
save.listed = [tf.Variable(1.)]
save.listed.append(tf.Variable(2.))
save.mapped = {'one': save.listed[0]}
save.mapped['two'] = save.listed[1]
save_path = save.save('./tf_list_example')

restore = tf.train.Checkpoint()
v2 = tf.Variable(0.)
assert 0. == v2.numpy()  # Not restored yet
restore.mapped = {'two': v2}
restore.restore(save_path)
assert 2. == v2.numpy()

