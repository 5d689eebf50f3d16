package dev.ocean.server.catalog;

import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.server.http.Auth;
import dev.ocean.server.http.Bodies;
import io.javalin.http.Context;

/** HTTP side of machine types and images. */
public final class CatalogController {
  private final MachineTypeService machineTypes;
  private final ImageService images;
  private final Bodies bodies;

  public CatalogController(MachineTypeService machineTypes, ImageService images, Bodies bodies) {
    this.machineTypes = machineTypes;
    this.images = images;
    this.bodies = bodies;
  }

  public void listMachineTypes(Context ctx) {
    ctx.json(machineTypes.list());
  }

  public void createMachineType(Context ctx) {
    MachineType.Create req = bodies.read(ctx, MachineType.Create.class);
    ctx.status(201).json(machineTypes.create(Auth.principal(ctx), req));
  }

  public void updateMachineType(Context ctx) {
    MachineType.Create patch = bodies.read(ctx, MachineType.Create.class);
    ctx.json(machineTypes.update(Auth.principal(ctx), ctx.pathParam("name"), patch));
  }

  public void updateImage(Context ctx) {
    Image.Create patch = bodies.read(ctx, Image.Create.class);
    ctx.json(images.update(Auth.principal(ctx), ctx.pathParam("name"), patch));
  }

  public void deleteMachineType(Context ctx) {
    machineTypes.delete(Auth.principal(ctx), ctx.pathParam("name"));
    ctx.status(204);
  }

  public void listImages(Context ctx) {
    ctx.json(images.list());
  }

  public void addImage(Context ctx) {
    Image.Create req = bodies.read(ctx, Image.Create.class);
    ctx.status(201).json(images.add(Auth.principal(ctx), req));
  }

  public void removeImage(Context ctx) {
    images.remove(Auth.principal(ctx), ctx.pathParam("name"));
    ctx.status(204);
  }
}
