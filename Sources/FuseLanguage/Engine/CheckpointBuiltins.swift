import FuseEngine
import FuseFormat

/// save() and load_model(): a model and its training run as a safetensors checkpoint.
extension EngineBuiltins {
  var save: Builtin {
    Builtin(
      name: "save",
      summary:
        "Writes a model, its rates and its training run to a safetensors checkpoint, atomically.",
      parameters: [
        ParameterSpec("model", accepts: "a model"),
        ParameterSpec("path", accepts: "a file name ending in .safetensors"),
      ],
      example: "save(m, \"run.safetensors\")"
    ) { arguments in
      let target = try arguments.object("model", as: ModelObject.self)
      let path = try arguments.string("path")
      guard path.lowercased().hasSuffix(".safetensors") else {
        throw BuiltinError(
          "a checkpoint's file name must end in .safetensors, got \(quoted(path))",
          argument: "path")
      }
      do {
        try target.model.save(to: path, dataset: target.dataset)
      } catch let error as SafeTensorsError {
        throw BuiltinError(error.description, argument: "path")
      }
      return .string(path)
    }
  }

  var loadModel: Builtin {
    Builtin(
      name: "load_model",
      summary: "Reads a model saved by save(): weights, rates and training run, for its data set.",
      parameters: [
        ParameterSpec("path", accepts: "a .safetensors file written by save()"),
        ParameterSpec(
          "data",
          accepts:
            "the dataset it was trained on, or a model whose architecture it must have "
            + "(that model's dataset is used)"),
      ],
      example: """
        m = load_model("run.safetensors", data)
        h = train(m, epochs: 50, resume: true)
        """
    ) { arguments in
      let path = try arguments.string("path")
      let dataset: Dataset
      var architecture: FusionModel?
      switch arguments["data"] {
      case .object(let model as ModelObject):
        dataset = model.dataset
        architecture = model.model
      case .object(let data as DatasetObject):
        dataset = data.dataset
      default:
        throw arguments.mismatch("data")
      }
      let loaded: FusionModel
      do {
        loaded = try FusionModel.load(
          from: path, dataset: dataset, architecture: architecture,
          pretrainedEncoder: { self.pretrainedEncoder($0, dataset: dataset) })
      } catch let error as CheckpointError {
        switch error {
        case .dataMismatch, .architectureMismatch:
          throw BuiltinError(error.description, argument: "data")
        default:
          throw BuiltinError(error.description, argument: "path")
        }
      } catch let error as SafeTensorsError {
        throw BuiltinError(error.description, argument: "path")
      }
      return .object(ModelObject(loaded: loaded, dataset: dataset, from: path))
    }
  }
}
